import Synchronization

/// A request on its way from a caller to the driver thread, and the one place that decides
/// who resumes the caller's continuation: the driver (with the outcome), the cancellation
/// handler (with `CancellationError`) or shutdown, whichever comes first. Every later attempt
/// is a no-op, so the continuation is resumed exactly once.
final class Ticket: Sendable {
    let request: HTTPRequest
    private let state = Mutex(State.created)

    private enum State {
        /// Not yet awaited.
        case created
        /// The caller is suspended on this continuation.
        case waiting(CheckedContinuation<HTTPResponse, any Error>)
        /// Resumed, or cancelled before the continuation was installed.
        case finished
    }

    init(request: HTTPRequest) {
        self.request = request
    }

    /// Stores the caller's continuation. Returns false, after resuming it with
    /// `CancellationError`, if the task was cancelled before it got here.
    func install(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
        let installed = state.withLock { state in
            guard case .created = state else { return false }
            state = .waiting(continuation)
            return true
        }
        if !installed {
            continuation.resume(throwing: CancellationError())
        }
        return installed
    }

    /// Resumes the caller with `CancellationError` if it is still waiting. Returns true when it
    /// did, i.e. when the driver must drop the transfer.
    func cancel() -> Bool {
        guard let continuation = take(markingCreated: true) else { return false }
        continuation.resume(throwing: CancellationError())
        return true
    }

    /// Resumes the caller with `result` unless it was already resumed.
    ///
    /// Called on the driver thread. Resuming only schedules the caller's task on its own
    /// executor, so the caller's code never runs on the driver thread.
    func finish(_ result: Result<HTTPResponse, HTTPClientError>) {
        take(markingCreated: false)?.resume(with: result.mapError { $0 as any Error })
    }

    /// Whether the outcome is already decided (e.g. cancelled while queued).
    var isFinished: Bool {
        state.withLock { state in
            if case .finished = state { true } else { false }
        }
    }

    /// Takes the continuation out, leaving `.finished`. A cancellation arriving before the
    /// continuation exists (`markingCreated`) also leaves `.finished`, so `install` sees it.
    private func take(markingCreated: Bool) -> CheckedContinuation<HTTPResponse, any Error>? {
        state.withLock { state in
            switch state {
            case .waiting(let continuation):
                state = .finished
                return continuation
            case .created:
                if markingCreated { state = .finished }
                return nil
            case .finished:
                return nil
            }
        }
    }
}
