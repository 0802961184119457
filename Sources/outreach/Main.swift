import ArgumentParser
import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// Entry point with the exit-status contract of SPEC §8: 0 ok, 1 runtime failure, 2 bad usage or
/// bad input, each failure as one line on stderr (no stack traces).
@main
enum Main {
    static func main() async {
        FileDescriptorLimit.raiseToHardLimit()
        let command: any ParsableCommand
        do {
            command = try Outreach.parseAsRoot()
        } catch {
            let code = Outreach.exitCode(for: error)
            if code == .success {
                print(Outreach.fullMessage(for: error))
                exit(0)
            }
            FileHandle.standardError.write(Data((Outreach.fullMessage(for: error) + "\n").utf8))
            exit(2)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
            exit(0)
        } catch {
            let (status, message) = ExitStatus.classify(error)
            if let message { FileHandle.standardError.write(Data(("outreach: " + message + "\n").utf8)) }
            exit(status)
        }
    }
}

/// Maps an error to the process exit status and its one-line message.
enum ExitStatus {
    static func classify(_ error: any Error) -> (Int32, String?) {
        switch error {
        case let error as OutreachError:
            return (error.isUsageError ? 2 : 1, error.description)
        case let error as PostgresError:
            return (error.code == .invalidConfiguration ? 2 : 1, error.description)
        case let error as MigrationError:
            return (1, error.description)
        case let error as ExitCode:
            return (error.rawValue, nil)
        case is CleanExit:
            return (0, nil)
        case let error as ValidationError:
            return (2, error.message)
        default:
            // ArgumentParser's own errors (e.g. `outreach help demo`): help is success, usage is 2.
            let code = Outreach.exitCode(for: error)
            if code == .success {
                print(Outreach.fullMessage(for: error))
                return (0, nil)
            }
            if code == .validationFailure { return (2, Outreach.fullMessage(for: error)) }
            return (1, String(describing: error))
        }
    }
}
