import Synchronization

/// Collects the outcomes of a batch of requests and resumes its one waiting caller when the
/// last of them arrives, whatever order they finish in.
final class BatchCompletion: Sendable {
    private let state: Mutex<State>

    private struct State {
        var results: [Result<HTTPResponse, HTTPClientError>?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<HTTPResponse, HTTPClientError>], Never>?
    }

    init(count: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count))
    }

    /// Stores the caller's continuation, or resumes it at once when every outcome is in
    /// (a batch cancelled before it was submitted).
    func install(_ continuation: CheckedContinuation<[Result<HTTPResponse, HTTPClientError>], Never>) {
        let done: [Result<HTTPResponse, HTTPClientError>]? = state.withLock { state in
            guard state.remaining > 0 else { return state.results.map { $0! } }
            state.continuation = continuation
            return nil
        }
        if let done { continuation.resume(returning: done) }
    }

    /// Records one outcome (each slot exactly once: its ``Ticket`` guarantees it).
    func deliver(_ result: Result<HTTPResponse, HTTPClientError>, at index: Int) {
        let resume: (CheckedContinuation<[Result<HTTPResponse, HTTPClientError>], Never>, [Result<HTTPResponse, HTTPClientError>])? =
            state.withLock { state in
                state.results[index] = result
                state.remaining -= 1
                guard state.remaining == 0, let continuation = state.continuation else { return nil }
                state.continuation = nil
                return (continuation, state.results.map { $0! })
            }
        if let (continuation, results) = resume { continuation.resume(returning: results) }
    }
}
