import Synchronization

/// A request on its way from a caller to the driver thread, and the one place that decides
/// who delivers its outcome: the driver (with the outcome), the cancellation handler (with a
/// cancellation) or shutdown, whichever comes first. Every later attempt is a no-op, so each
/// outcome is delivered exactly once.
final class Ticket: Sendable {
    let request: HTTPRequest
    private let state: Mutex<State>

    /// Who waits for the outcome.
    enum Waiter: Sendable {
        /// One caller suspended in ``HTTPClient/execute(_:)-(HTTPRequest)``.
        case task(CheckedContinuation<HTTPResponse, any Error>)
        /// One slot of a batch (``HTTPClient/execute(_:)-([HTTPRequest])``).
        case batch(BatchCompletion, index: Int)
    }

    private enum State {
        /// Not yet awaited.
        case created
        /// Someone waits for the outcome.
        case waiting(Waiter)
        /// Delivered, or cancelled before a waiter was installed.
        case finished
    }

    init(request: HTTPRequest) {
        self.request = request
        self.state = Mutex(.created)
    }

    /// A batch's ticket: its slot waits from the start.
    init(request: HTTPRequest, batch: BatchCompletion, index: Int) {
        self.request = request
        self.state = Mutex(.waiting(.batch(batch, index: index)))
    }

    /// Stores the caller's continuation. Returns false, after resuming it with
    /// `CancellationError`, if the task was cancelled before it got here.
    func install(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
        let installed = state.withLock { state in
            guard case .created = state else { return false }
            state = .waiting(.task(continuation))
            return true
        }
        if !installed {
            continuation.resume(throwing: CancellationError())
        }
        return installed
    }

    /// Delivers a cancellation if the outcome is still open. Returns true when it did, i.e.
    /// when the driver must drop the transfer.
    func cancel() -> Bool {
        guard let waiter = take(markingCreated: true) else { return false }
        switch waiter {
        case .task(let continuation):
            continuation.resume(throwing: CancellationError())
        case .batch(let batch, let index):
            batch.deliver(.failure(HTTPClientError(code: .cancelled, message: "the caller was cancelled",
                                                   method: request.method, url: request.url)), at: index)
        }
        return true
    }

    /// Delivers `result` unless an outcome was already delivered.
    ///
    /// Called on the driver thread. Resuming only schedules the caller's task on its own
    /// executor, so the caller's code never runs on the driver thread.
    func finish(_ result: Result<HTTPResponse, HTTPClientError>) {
        switch take(markingCreated: false) {
        case .task(let continuation)?:
            continuation.resume(with: result.mapError { $0 as any Error })
        case .batch(let batch, let index)?:
            batch.deliver(result, at: index)
        case nil:
            break
        }
    }

    /// Whether the outcome is already decided (e.g. cancelled while queued).
    var isFinished: Bool {
        state.withLock { state in
            if case .finished = state { true } else { false }
        }
    }

    /// Takes the waiter out, leaving `.finished`. A cancellation arriving before the
    /// continuation exists (`markingCreated`) also leaves `.finished`, so `install` sees it.
    private func take(markingCreated: Bool) -> Waiter? {
        state.withLock { state in
            switch state {
            case .waiting(let waiter):
                state = .finished
                return waiter
            case .created:
                if markingCreated { state = .finished }
                return nil
            case .finished:
                return nil
            }
        }
    }
}
