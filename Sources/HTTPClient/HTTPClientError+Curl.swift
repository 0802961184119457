internal import CCurl

extension HTTPClientError.Code {
    /// The category of a failed transfer's `CURLcode`. `exceededLimit` tells a write error
    /// caused by our own size abort apart from any other; `refusedReplay`, an abort because a
    /// request that is not replayable would have gone out a second time.
    init(curlCode code: CURLcode, exceededLimit: Bool, refusedReplay: Bool = false) {
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            self = .invalidURL
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            self = .resolve
        case CURLE_COULDNT_CONNECT:
            self = .connect
        case CURLE_OPERATION_TIMEDOUT:
            self = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            self = .tls
        case CURLE_FILESIZE_EXCEEDED:
            self = .tooLarge
        case CURLE_WRITE_ERROR where exceededLimit:
            self = .tooLarge
        case CURLE_SEND_ERROR, CURLE_SEND_FAIL_REWIND:
            self = .send
        case CURLE_ABORTED_BY_CALLBACK where refusedReplay:
            self = .send
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3:
            self = .receive
        default:
            self = .other
        }
    }
}
