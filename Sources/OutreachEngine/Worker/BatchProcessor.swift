import Channels
import Foundation
import Logging
import OutreachCore
import OutreachStore
import Postgres

/// Runs one claimed batch through the send path (SPEC §4):
///
/// 1. load every job's context in one query;
/// 2. decide the gates and the checks that a snapshot can judge (pure, `SafetyChecks`);
/// 3. in one transaction: hold the batch's workspaces (a delete waits for the commit), take
///    each step with an optimistic enrollment lock, reserve daily limits then cool-downs
///    (race-free), write `sending`, and record every job that does not send (skipped,
///    blocked, deferred, dropped) — committed before any provider is called;
/// 4. send everything that may go, concurrently, through the fleet-wide rate limiters;
/// 5. in one transaction: record outcomes, advance enrollments, finish or retry the jobs.
///
/// A crash after step 3 leaves `sending` behind: on reclaim, email is repeated under the same
/// Idempotency-Key (Resend dedupes), WhatsApp and Telegram become `unknown` and are not re-sent.
struct BatchProcessor: Sendable {
    let pool: PostgresPool
    let registry: ChannelRegistry
    let renderer: MessageRenderer
    let configuration: WorkerConfiguration
    let logger: Logger
    let stats: WorkerStats

    let queue = JobQueue()
    let ledger = SendLedger()

    /// What the batch decided for one job, before anything is written.
    struct Plan {
        var records: [SendLedger.ExecutionRecord] = []
        var advances: [SendLedger.Advance] = []
        var complete: [JobLease] = []
        var reschedule: [JobQueue.Reschedule] = []
        var candidates: [SendContext] = []
        var resend: [SendContext] = []
        /// Each sendable job's message, rendered once while deciding.
        var rendered: [Int64: (message: OutboundMessage, phoneNumberID: String?)] = [:]
        /// Records already written in the prepare transaction (counted once it commits).
        var settled: [SendLedger.ExecutionRecord] = []
    }

    /// A message cleared to go: the job, its rendered message and what to undo if it cannot.
    struct Outgoing: Sendable {
        var context: SendContext
        /// The execution row written as `sending`, where the outcome lands.
        var executionID: Int64
        var message: OutboundMessage
        var client: any ChannelClient
        /// The daily-limit reservation to give back if the send does not happen.
        var daily: SendLedger.DailyKey?
        var cooldown: SendLedger.CooldownKey?
        /// A channel without a limit reserves nothing; its counter is bumped after a send.
        var countOnSuccess: SendLedger.DailyKey? = nil
    }

    func process(_ jobs: [Job]) async throws {
        let now = Date()
        let clock = ContinuousClock()
        let t0 = clock.now
        let contexts = try await pool.withConnection { try await SendContextStore().load(jobs, on: $0) }
        var plan = Plan()
        let loaded = Set(contexts.map(\.job.id))
        plan.complete += jobs.filter { !loaded.contains($0.id) }.map(\.lease)
        for ctx in contexts { decide(ctx, now: now, into: &plan) }
        let t1 = clock.now
        let decided = plan
        let (outgoing, prepared) = try await retryingConflicts {
            var attemptPlan = decided
            let outgoing = try await pool.transaction { tx in try await prepare(&attemptPlan, now: now, on: tx) }
            return (outgoing, attemptPlan)
        }
        plan = prepared
        stats.add(records: plan.settled + plan.records)
        let t2 = clock.now
        let outcomes = await send(outgoing)
        let t3 = clock.now
        try await retryingConflicts { try await pool.transaction { tx in try await finish(outcomes, reservedAt: now, on: tx) } }
        logger.debug("batch", metadata: ["jobs": "\(jobs.count)", "load": "\(t1 - t0)", "prepare": "\(t2 - t1)",
                                         "send": "\(t3 - t2)", "finish": "\(clock.now - t3)"])
    }

    /// A deadlock or serialization failure rolled the whole transaction back: run it again.
    func retryingConflicts<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as PostgresError where error.isRetryable && error.code != .connectionLost && attempt < 4 {
                attempt += 1
                logger.warning("transaction conflict; retrying", metadata: ["error_code": "\(error.code)"])
            }
        }
    }

    // MARK: 2. Decide

    func decide(_ ctx: SendContext, now: Date, into plan: inout Plan) {
        let lease = ctx.job.lease
        if ctx.job.kind == .noop {
            plan.complete.append(lease)  // benchmarks and health probes: claim and finish
            return
        }
        if ctx.job.kind == .step && (ctx.enrollmentID == nil || !ctx.stepExists) {
            plan.complete.append(lease)  // enrollment or step deleted: nothing to do
            return
        }
        if let status = ctx.executionStatus, status != .deferred {
            if status == .sending {
                if ctx.channel == .email, case .message(let message, let number) = renderer.render(ctx, now: now) {
                    plan.rendered[ctx.job.id] = (message, number)
                    plan.resend.append(ctx)  // Resend dedupes on the same key: safe to repeat
                } else if ctx.channel == .email {
                    defer_(ctx, until: now.addingTimeInterval(300), reason: .providerNotConfigured, into: &plan)
                } else {
                    plan.records.append(.init(context: ctx, status: .unknown, reason: "worker stopped mid-send"))
                    finishStep(ctx, into: &plan)
                }
            } else {
                finishStep(ctx, into: &plan)  // already handled by an earlier attempt
            }
            return
        }
        guard ctx.contactID != nil else {
            plan.records.append(.init(context: ctx, status: .blocked, reason: SafetyReason.contactMissing.rawValue))
            finishStep(ctx, into: &plan)
            return
        }
        let window = (ctx.sequenceWindow ?? ctx.workspaceWindow).flatMap { try? SendWindow(days: $0.days, hours: $0.hours) }
        let opens = window.map { $0.nextOpening(atOrAfter: now, in: ctx.effectiveTimeZone) }
        let snapshot = SendSnapshot(
            enrollmentStatus: ctx.job.kind == .step ? ctx.enrollmentStatus : nil, condition: ctx.condition, history: ctx.history,
            consent: ctx.consent, suppressed: ctx.suppressed, hasAddress: !(ctx.address ?? "").isEmpty,
            channelEnabled: ctx.channelEnabled, providerConfigured: renderer.isConfigured(ctx),
            sendWindowOpensAt: opens.flatMap { $0 > now ? $0 : nil })
        switch SafetyChecks.decide(snapshot, now: now) {
        case .hold:
            plan.reschedule.append(.init(lease: lease, runAt: now.addingTimeInterval(5), error: nil, countsAsAttempt: false))
        case .drop:
            plan.complete.append(lease)
        case .skip(let reason):
            plan.records.append(.init(context: ctx, status: .skipped, reason: reason.rawValue))
            finishStep(ctx, into: &plan)
        case .block(let reason):
            plan.records.append(.init(context: ctx, status: .blocked, reason: reason.rawValue))
            finishStep(ctx, into: &plan)
        case .deferUntil(let until, let reason):
            defer_(ctx, until: until, reason: reason, into: &plan)
        case .proceed:
            if ctx.templateBody == nil {
                plan.records.append(.init(context: ctx, status: .blocked, reason: SafetyReason.templateMissing.rawValue))
                finishStep(ctx, into: &plan)
            } else {
                switch renderer.render(ctx, now: now) {
                case .blocked(let reason):
                    plan.records.append(.init(context: ctx, status: .blocked, reason: reason.rawValue))
                    finishStep(ctx, into: &plan)
                case .notConfigured:
                    defer_(ctx, until: now.addingTimeInterval(300), reason: .providerNotConfigured, into: &plan)
                case .message(let message, let number):
                    plan.rendered[ctx.job.id] = (message, number)
                    plan.candidates.append(ctx)
                }
            }
        }
    }

    func defer_(_ ctx: SendContext, until: Date, reason: SafetyReason, into plan: inout Plan) {
        plan.records.append(.init(context: ctx, status: .deferred, reason: reason.rawValue))
        plan.reschedule.append(.init(lease: ctx.job.lease, runAt: until, error: nil, countsAsAttempt: false))
    }

    /// The step is over (sent, skipped, blocked, unknown): move the enrollment on, drop the job.
    func finishStep(_ ctx: SendContext, fail: Bool = false, error: String? = nil, into plan: inout Plan) {
        plan.complete.append(ctx.job.lease)
        if let step = advance(ctx, fail: fail, error: error) { plan.advances.append(step) }
    }

    func advance(_ ctx: SendContext, fail: Bool, error: String?) -> SendLedger.Advance? {
        guard let id = ctx.enrollmentID, let version = ctx.enrollmentVersion, let step = ctx.stepPosition else { return nil }
        return .init(enrollmentID: id, version: version, step: step, nextDelay: ctx.nextStepDelay, fail: fail, error: error)
    }

    // MARK: 3. Prepare (one transaction, committed before any provider call)

    static let durableCommit = "SET LOCAL synchronous_commit = on"

    func prepare(_ plan: inout Plan, now: Date, on tx: PostgresConnection) async throws -> [Outgoing] {
        // `sending` must survive a database crash before anything is sent (see Worker).
        try await tx.query(Self.durableCommit)
        // Executions and cool-downs are written only for workspaces held until the commit.
        let writing = Set(plan.records.map(\.context.job.workspaceID) + plan.candidates.map(\.job.workspaceID)
                          + plan.resend.map(\.job.workspaceID))
        let live = try await ledger.holdWorkspaces(writing, on: tx)
        if live.count < writing.count {
            // Deleted since the batch was loaded: nothing is written for it and its jobs end.
            plan.records.removeAll { !live.contains($0.context.job.workspaceID) }
            for c in plan.candidates + plan.resend where !live.contains(c.job.workspaceID) { plan.complete.append(c.job.lease) }
            plan.candidates.removeAll { !live.contains($0.job.workspaceID) }
            plan.resend.removeAll { !live.contains($0.job.workspaceID) }
        }
        // Settle everything that does not send first, so the hot daily-limit rows below are
        // locked for as short a time as possible.
        try await ledger.recordOutcomes(plan.records, on: tx)
        try await ledger.advance(plan.advances, on: tx)
        try await queue.complete(plan.complete, on: tx)
        try await queue.reschedule(plan.reschedule, on: tx)
        plan.settled = plan.records
        plan.records = []
        plan.advances = []
        plan.complete = []
        plan.reschedule = []

        var candidates = plan.candidates

        // Take each step: a pause or cancel that committed first wins, and nothing is sent.
        let locks = candidates.compactMap { c in c.enrollmentID.flatMap { id in c.enrollmentVersion.map { (id: id, version: $0) } } }
        let won = try await ledger.lockEnrollments(locks, on: tx)
        var taken: [SendContext] = []
        for c in candidates {
            if let id = c.enrollmentID, !won.contains(id) {
                // Lost the race: re-read and re-decided on the next claim (a paused one is dropped).
                plan.reschedule.append(.init(lease: c.job.lease, runAt: now, error: nil, countsAsAttempt: false))
                continue
            }
            taken.append(c)
        }
        candidates = taken

        // Check 4: daily limit per (workspace, channel, local day), exact under concurrency.
        var days: [String: String] = [:]  // by workspace time zone: the calendar is not free
        func dailyKey(_ c: SendContext) -> SendLedger.DailyKey {
            let day = days[c.workspaceTimeZone] ?? SafetyChecks.day(of: now, in: c.workspaceZone)
            days[c.workspaceTimeZone] = day
            return SendLedger.DailyKey(workspaceID: c.job.workspaceID, channel: c.channel ?? .email, day: day)
        }
        var wants: [SendLedger.DailyKey: (limit: Int?, count: Int)] = [:]
        // Only limited channels reserve: the counter row is hot, and a channel without a limit
        // needs no exactness, just a count, taken after the send (see finish).
        for c in candidates where c.dailyLimit != nil { wants[dailyKey(c), default: (c.dailyLimit, 0)].count += 1 }
        var granted = try await ledger.reserveDaily(wants, on: tx)
        var afterDaily: [SendContext] = []
        for c in candidates {
            let key = dailyKey(c)
            if c.dailyLimit == nil {
                afterDaily.append(c)
                continue
            }
            if let left = granted[key], left > 0 {
                granted[key] = left - 1
                afterDaily.append(c)
            } else {
                defer_(c, until: SafetyChecks.nextDay(after: now, in: c.workspaceZone), reason: .dailyLimit, into: &plan)
            }
        }

        // Check 5: 24 h cool-down per (workspace, entity, channel) across sequences.
        func cooldownKey(_ c: SendContext) -> SendLedger.CooldownKey? {
            guard let entity = c.entity, let channel = c.channel else { return nil }
            return SendLedger.CooldownKey(workspaceID: c.job.workspaceID, entity: entity, channel: channel)
        }
        var seen = Set<SendLedger.CooldownKey>()
        var unique: [SendLedger.CooldownKey] = []
        var refunds: [SendLedger.DailyKey: Int] = [:]
        var afterCooldown: [SendContext] = []
        var sameBatch: [SendContext] = []
        for c in afterDaily {
            guard let key = cooldownKey(c) else { continue }
            if seen.insert(key).inserted { unique.append(key) } else { sameBatch.append(c) }
        }
        let (slots, until) = try await ledger.reserveCooldowns(unique, at: now, on: tx)
        for c in afterDaily {
            guard let key = cooldownKey(c) else { continue }
            if slots.contains(key) && !sameBatch.contains(where: { $0.job.id == c.job.id }) {
                afterCooldown.append(c)
            } else {
                if c.dailyLimit != nil { refunds[dailyKey(c), default: 0] += 1 }
                let ends = until[key] ?? now.addingTimeInterval(SafetyChecks.cooldown)
                defer_(c, until: ends, reason: .cooldown, into: &plan)
            }
        }

        // `sending`, committed before the call; a key someone else already holds is not sent.
        let sendable = try await ledger.markSending(afterCooldown, on: tx)
        var outgoing: [Outgoing] = []
        var refundCooldown: [SendLedger.CooldownKey] = []
        for c in afterCooldown {
            guard let executionID = sendable[c.idempotencyKey], let (message, number) = plan.rendered[c.job.id],
                  let client = registry.client(for: c.channel ?? .email, phoneNumberID: number) else {
                if c.dailyLimit != nil { refunds[dailyKey(c), default: 0] += 1 }
                if let key = cooldownKey(c) { refundCooldown.append(key) }
                plan.complete.append(c.job.lease)
                continue
            }
            let limited = c.dailyLimit != nil
            outgoing.append(Outgoing(context: c, executionID: executionID, message: message, client: client,
                                     daily: limited ? dailyKey(c) : nil,
                                     cooldown: cooldownKey(c), countOnSuccess: limited ? nil : dailyKey(c)))
        }
        // Crash recovery for email: same key again, no new reservations.
        for c in plan.resend {
            guard let executionID = c.executionID, let (message, number) = plan.rendered[c.job.id],
                  let client = registry.client(for: .email, phoneNumberID: number) else {
                defer_(c, until: now.addingTimeInterval(300), reason: .providerNotConfigured, into: &plan)
                continue
            }
            outgoing.append(Outgoing(context: c, executionID: executionID, message: message, client: client,
                                     daily: nil, cooldown: nil))
        }
        try await ledger.refundDaily(refunds, on: tx)
        try await ledger.refundCooldowns(refundCooldown, reservedAt: now, on: tx)

        // Everything that does not send is settled in the same transaction.
        try await ledger.recordOutcomes(plan.records, on: tx)
        try await ledger.advance(plan.advances, on: tx)
        try await queue.complete(plan.complete, on: tx)
        try await queue.reschedule(plan.reschedule, on: tx)
        return outgoing
    }

    // MARK: 4. Send

    enum Outcome: Sendable {
        case sent(SendReceipt)
        case failed(ChannelError)
    }

    func send(_ outgoing: [Outgoing]) async -> [(Outgoing, Outcome)] {
        guard !outgoing.isEmpty else { return [] }
        // Tokens per provider account for the whole batch; each grant goes out as one batch of
        // exchanges (one waiting task, not one per message).
        var byAccount: [String: [Outgoing]] = [:]
        for o in outgoing { byAccount[o.client.rateLimitAccount, default: []].append(o) }
        return await withTaskGroup(of: [(Outgoing, Outcome)].self) { group in
            for (_, items) in byAccount {
                // One task per account takes its tokens in order; every grant is sent at once.
                group.addTask {
                    await withTaskGroup(of: [(Outgoing, Outcome)].self) { inner in
                        var index = 0
                        while index < items.count {
                            let granted = max(1, min(await acquire(items.count - index, for: items[index].client),
                                                     items.count - index))
                            let chunk = Array(items[index..<(index + granted)])
                            inner.addTask { await attempt(chunk) }
                            index += granted
                        }
                        var results: [(Outgoing, Outcome)] = []
                        for await r in inner { results += r }
                        return results
                    }
                }
            }
            var results: [(Outgoing, Outcome)] = []
            for await r in group { results += r }
            return results
        }
    }

    func acquire(_ count: Int, for client: any ChannelClient) async -> Int {
        do {
            return try await pool.withConnection { db in
                let limiter = try await registry.limiter(for: client, on: db)
                return try await limiter.acquire(count, on: db)
            }
        } catch {
            logger.warning("rate limiter unavailable; sending one at a time", metadata: ["error_code": "\(error)"])
            return 1
        }
    }

    func attempt(_ chunk: [Outgoing]) async -> [(Outgoing, Outcome)] {
        let start = ContinuousClock.now
        let outcomes = await ChannelBatch.send(chunk.map {
            ChannelBatch.Item(client: $0.client, message: $0.message, idempotencyKey: $0.context.idempotencyKey)
        })
        let whole = ContinuousClock.now - start
        return zip(chunk, outcomes).map { o, outcome in
            stats.observeLatency(outcome.elapsed ?? whole, channel: o.context.channel ?? .email)
            switch outcome.result {
            case .success(let receipt): return (o, .sent(receipt))
            case .failure(let error): return (o, .failed(error))
            }
        }
    }

    // MARK: 5. Finish

    func finish(_ outcomes: [(Outgoing, Outcome)], reservedAt: Date, on tx: PostgresConnection) async throws {
        var plan = Plan()
        var refunds: [SendLedger.DailyKey: Int] = [:]
        var refundCooldown: [SendLedger.CooldownKey] = []
        var counts: [SendLedger.DailyKey: Int] = [:]
        var suppress: [(workspace: UUID, channel: Channel, address: String, reason: String)] = []
        var kills: [(JobLease, String)] = []
        var pauses: [(any ChannelClient, Duration)] = []
        let now = Date()
        for (o, outcome) in outcomes {
            let ctx = o.context
            switch outcome {
            case .sent(let receipt):
                if let key = o.countOnSuccess { counts[key, default: 0] += 1 }
                plan.records.append(.init(context: ctx, executionID: o.executionID, status: .sent,
                                          providerMessageID: receipt.providerMessageID))
                finishStep(ctx, into: &plan)
            case .failed(let error):
                let code = error.providerCode ?? error.code.description
                switch error.disposition {
                case .permanent:
                    plan.records.append(.init(context: ctx, executionID: o.executionID, status: .failed, reason: error.code.description,
                                              errorCode: code, errorMessage: error.message))
                    finishStep(ctx, fail: true, error: error.description, into: &plan)
                    if error.suppressesRecipient, let channel = ctx.channel, let address = ctx.address {
                        suppress.append((ctx.job.workspaceID, channel, address, "blocked"))
                    }
                case .unknownOutcome:
                    plan.records.append(.init(context: ctx, executionID: o.executionID, status: .unknown, reason: error.code.description,
                                              errorCode: code, errorMessage: error.message))
                    finishStep(ctx, into: &plan)
                case .configuration:
                    logger.critical("provider rejected our credentials; pausing the provider account",
                                    metadata: ["error_code": "\(code)", "channel": "\(ctx.channel?.rawValue ?? "")"])
                    pauses.append((o.client, .seconds(300)))
                    undo(o, refunds: &refunds, cooldowns: &refundCooldown)
                    plan.records.append(.init(context: ctx, executionID: o.executionID, status: .deferred, reason: "provider_configuration",
                                              errorCode: code, errorMessage: error.message))
                    plan.reschedule.append(.init(lease: ctx.job.lease, runAt: now.addingTimeInterval(300), error: error.description,
                                                 countsAsAttempt: false))
                case .retryable(let after):
                    if let after, error.code == .rateLimited { pauses.append((o.client, after)) }
                    undo(o, refunds: &refunds, cooldowns: &refundCooldown)
                    if let delay = configuration.retry.delay(afterAttempt: ctx.job.attempt, retryAfter: after) {
                        plan.records.append(.init(context: ctx, executionID: o.executionID, status: .deferred,
                                                  reason: error.code.description, errorCode: code, errorMessage: error.message))
                        plan.reschedule.append(.init(lease: ctx.job.lease, runAt: now.addingTimeInterval((delay).inSeconds),
                                                     error: error.description, countsAsAttempt: true))
                    } else {
                        plan.records.append(.init(context: ctx, executionID: o.executionID, status: .failed, reason: "retries_exhausted",
                                                  errorCode: code, errorMessage: error.message))
                        if let step = advance(ctx, fail: true, error: error.description) { plan.advances.append(step) }
                        kills.append((ctx.job.lease, error.description))
                    }
                }
            }
        }
        stats.add(records: plan.records)
        try await ledger.recordOutcomes(plan.records, on: tx)
        try await ledger.advance(plan.advances, on: tx)
        try await queue.complete(plan.complete, on: tx)
        try await queue.reschedule(plan.reschedule, on: tx)
        try await queue.kill(kills.map(\.0), errors: kills.map(\.1), on: tx)
        try await ledger.refundDaily(refunds, on: tx)
        try await ledger.countDaily(counts, on: tx)
        try await ledger.refundCooldowns(refundCooldown, reservedAt: reservedAt, on: tx)
        try await ledger.suppress(suppress, source: "provider", on: tx)
        for (client, delay) in pauses {
            try await registry.limiter(for: client, on: tx).pause(for: delay, on: tx)
        }
    }

    /// A send that did not happen gives back its daily-limit and cool-down reservations.
    func undo(_ o: Outgoing, refunds: inout [SendLedger.DailyKey: Int], cooldowns: inout [SendLedger.CooldownKey]) {
        if let daily = o.daily { refunds[daily, default: 0] += 1 }
        if let cooldown = o.cooldown { cooldowns.append(cooldown) }
    }
}
