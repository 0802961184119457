import Metrics
import OutreachEngine
import Prometheus

/// The process-wide metrics backend: swift-metrics → Prometheus, rendered on `/metrics`.
///
/// Call ``bootstrap()`` once at startup (it is idempotent, so a process that starts both the
/// server and a metrics endpoint, or a test suite, may call it again safely).
public enum Observability {
    /// The registry every `OutreachMetrics` series lands in.
    public static let registry = PrometheusCollectorRegistry()

    /// Lazily initialised exactly once (Swift guarantees thread-safe one-time initialisation of
    /// static stored properties), so `MetricsSystem.bootstrap`, which traps when called twice,
    /// runs once however many callers race.
    private static let installed: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        OutreachMetrics.registerDefaults()
    }()

    /// Installs the Prometheus backend for swift-metrics and registers the default series.
    public static func bootstrap() {
        _ = installed
    }

    /// The registry in Prometheus text exposition format.
    public static func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}
