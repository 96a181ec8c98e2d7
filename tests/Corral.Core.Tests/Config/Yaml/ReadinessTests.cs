using Corral.Core.Config;
using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Yaml.YamlTestHelpers;

namespace Corral.Core.Tests.Config.Yaml;

/// <summary>ready, ready_timeout, watchdog and the three probes. Settings start at line 4 (see WebYaml).</summary>
public sealed class ReadinessTests
{
    // ---- ready ----

    [Fact]
    public void Without_readiness_settings_a_service_has_none()
    {
        var web = Web("restart: always");
        Assert.Null(web.Ready);
        Assert.Null(web.ReadyTimeout);
        Assert.Null(web.Watchdog);
        Assert.Null(web.StartupProbe);
        Assert.Null(web.ReadinessProbe);
        Assert.Null(web.LivenessProbe);
        Assert.False(web.HasReadiness);
    }

    [Theory]
    [InlineData("ready: notify")]
    [InlineData("ready: Notify")]
    [InlineData("ready: {notify: true}")]
    [InlineData("ready:\n  notify: true")]
    public void Ready_notify_is_sd_notify(string settings)
    {
        var web = Web(settings);
        Assert.Equal(new ReadySpec(ReadinessKind.Notify), web.Ready);
        Assert.True(web.HasReadiness);
    }

    [Theory]
    [InlineData("ready: {notify_fd: 3}", 3)]
    [InlineData("ready:\n  notify_fd: \"1023\"", 1023)]
    public void Ready_notify_fd_is_s6_notification_descriptor(string settings, int fd)
    {
        Assert.Equal(new ReadySpec(ReadinessKind.NotifyFd, Fd: fd), Web(settings).Ready);
    }

    [Fact]
    public void Ready_log_line_keeps_the_pattern_as_written()
    {
        var web = Web("ready:\n  log_line: '^listening on \\d+\\.\\d+'");
        Assert.Equal(new ReadySpec(ReadinessKind.LogLine, Pattern: @"^listening on \d+\.\d+"), web.Ready);
    }

    [Theory]
    [InlineData("ready: systemd", "corral.yaml:4: services.web.ready: unknown value 'systemd' (notify, {notify_fd: N} or {log_line: \"regex\"})")]
    [InlineData("ready: notify_fd", "corral.yaml:4: services.web.ready: unknown value 'notify_fd' (notify, {notify_fd: N} or {log_line: \"regex\"})")]
    [InlineData("ready:", "corral.yaml:4: services.web.ready: expected notify, {notify_fd: N} or {log_line: \"regex\"}, got no value")]
    [InlineData("ready: [notify]", "corral.yaml:4: services.web.ready: expected notify, {notify_fd: N} or {log_line: \"regex\"}, got a list")]
    [InlineData("ready: {}", "corral.yaml:4: services.web.ready: expected notify, {notify_fd: N} or {log_line: \"regex\"}, got an empty mapping")]
    [InlineData("ready:\n  notify_fd: 2", "corral.yaml:5: services.web.ready.notify_fd: expected an integer from 3 to 1023, got '2'")]
    [InlineData("ready:\n  notify_fd: 1024", "corral.yaml:5: services.web.ready.notify_fd: expected an integer from 3 to 1023, got '1024'")]
    [InlineData("ready:\n  notify_fd: three", "corral.yaml:5: services.web.ready.notify_fd: expected an integer from 3 to 1023, got 'three'")]
    [InlineData("ready:\n  notify: yes", "corral.yaml:5: services.web.ready.notify: write true or false, not 'yes' (YAML 1.2 has no other booleans)")]
    [InlineData("ready:\n  notify: false", "corral.yaml:5: services.web.ready.notify: 'notify: false' is no readiness signal; leave 'ready:' out instead")]
    [InlineData("ready:\n  log_line:", "corral.yaml:5: services.web.ready.log_line: expected a regular expression, got no value")]
    [InlineData("ready:\n  log_line: ''", "corral.yaml:5: services.web.ready.log_line: an empty pattern matches every line; write the line that means ready, such as \"listening on\"")]
    [InlineData("ready:\n  log_lines: x", "corral.yaml:5: services.web.ready.log_lines: unknown key 'log_lines'; did you mean 'log_line'? (allowed: notify, notify_fd, log_line)")]
    [InlineData("ready:\n  notify_fd: 3\n  log_line: up", "corral.yaml:6: services.web.ready.log_line: 'log_line' and 'notify_fd' are two readiness signals; choose one (notify, {notify_fd: N} or {log_line: \"regex\"})")]
    public void A_wrong_ready_is_an_error_listing_the_forms(string settings, string problem)
    {
        Assert.Equal(problem, WebProblem(settings));
    }

    [Fact]
    public void A_log_line_that_is_not_a_regular_expression_says_what_is_wrong_and_how_to_escape()
    {
        Assert.Equal(
            "corral.yaml:5: services.web.ready.log_line: 'listening (' is not a valid regular expression (a '(' is not closed); escape special characters with '\\' (\\[ \\( \\. \\* \\+ \\? \\\\) to match them as they are",
            WebProblem("ready:\n  log_line: 'listening ('"));
    }

    [Theory]
    [InlineData("([", "a '[' is not closed")]
    [InlineData("a)", "a ')' at character 2 has no '(' before it")]
    [InlineData("*a", "'*', '+', '?' or '{' at character 1 follows nothing it could repeat")]
    [InlineData("a\\", "it ends with a lone '\\'")]
    [InlineData("[z-a]", "the range at character 4 runs backwards, such as [z-a]")]
    public void A_pattern_that_does_not_compile_is_worded_from_the_parser_error_not_its_message(string pattern, string reason)
    {
        var problem = RegexProblems.Check(pattern);
        Assert.NotNull(problem);
        Assert.Contains($"({reason})", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("MakeException", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_that_compiles_has_no_problem() => Assert.Null(RegexProblems.Check("listening on :\\d+"));

    // ---- ready_timeout, watchdog ----

    [Fact]
    public void Ready_timeout_and_watchdog_are_durations()
    {
        var web = Web("ready: notify\nready_timeout: 1m30s\nwatchdog: 20");
        Assert.Equal(TimeSpan.FromSeconds(90), web.ReadyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), web.Watchdog);
    }

    [Theory]
    [InlineData("ready_timeout: 0s", "corral.yaml:4: services.web.ready_timeout: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '0s'")]
    [InlineData("ready_timeout: soon", "corral.yaml:4: services.web.ready_timeout: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got 'soon'")]
    [InlineData("ready: notify\nwatchdog: 0", "corral.yaml:5: services.web.watchdog: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '0'")]
    [InlineData("ready: notify\nwatchdog: [1s]", "corral.yaml:5: services.web.watchdog: expected a duration, got a list")]
    public void A_wrong_ready_timeout_or_watchdog_is_an_error(string settings, string problem)
    {
        Assert.Equal(problem, WebProblem(settings));
    }

    [Theory]
    [InlineData("watchdog: 30s", 4)]
    [InlineData("watchdog: 30s\nready: {notify_fd: 3}", 4)]
    [InlineData("ready:\n  log_line: up\nwatchdog: 30s", 6)]
    public void A_watchdog_without_ready_notify_is_a_warning(string settings, int line)
    {
        var (config, diagnostics) = Read(WebYaml(settings));
        Assert.Equal(TimeSpan.FromSeconds(30), config!.Services[0].Watchdog);
        var d = Assert.Single(diagnostics);
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal($"corral.yaml:{line}: warning: services.web.watchdog: only sd_notify sends WATCHDOG=1, and 'ready' is not 'notify'; add 'ready: notify', or the service is restarted whenever 30s pass without one", d.ToString());
    }

    [Fact]
    public void A_watchdog_after_ready_notify_is_fine_in_either_order()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Web("watchdog: 5s\nready: notify").Watchdog);
    }

    [Fact]
    public void A_watchdog_with_a_wrong_ready_reports_only_the_ready()
    {
        Assert.Equal("corral.yaml:5: services.web.ready: unknown value 'sd_notify' (notify, {notify_fd: N} or {log_line: \"regex\"})",
            WebProblem("watchdog: 5s\nready: sd_notify"));
    }

    // ---- probes: the types ----

    [Theory]
    [InlineData("exec: [pg_isready, -U, 'the user']")]
    [InlineData("exec: pg_isready -U 'the user'")]
    [InlineData("exec: {command: [pg_isready, -U, the user]}")]
    [InlineData("exec:\n    command: pg_isready -U \"the user\"")]
    public void An_exec_probe_is_an_argv_a_command_string_or_kubernetes_command(string probe)
    {
        var p = Web("readiness_probe:\n  " + probe).ReadinessProbe!;
        Assert.Equal(ProbeKind.Exec, p.Kind);
        Assert.Equal<string>(["pg_isready", "-U", "the user"], p.Command);
    }

    [Fact]
    public void A_probe_has_kubernetes_defaults_and_its_location_is_the_key()
    {
        var p = Web("restart: always\nliveness_probe:\n  tcp: {port: 6379}").LivenessProbe!;
        Assert.Equal(ProbeKind.Tcp, p.Kind);
        Assert.Equal(6379, p.Port);
        Assert.Equal("127.0.0.1", p.Host);
        Assert.Equal(TimeSpan.Zero, p.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), p.Period);
        Assert.Equal(TimeSpan.FromSeconds(1), p.Timeout);
        Assert.Equal(1, p.SuccessThreshold);
        Assert.Equal(3, p.FailureThreshold);
        Assert.Equal(new SourceLocation("corral.yaml", 5, 5), p.Where);
    }

    [Fact]
    public void An_http_probe_has_port_path_host_and_headers()
    {
        var p = Web("readiness_probe:\n  http:\n    port: 8080\n    path: /healthz?full=1\n    host: ::1\n    headers:\n      Host: example.com\n      X-Probe: 1").ReadinessProbe!;
        Assert.Equal(ProbeKind.Http, p.Kind);
        Assert.Equal(8080, p.Port);
        Assert.Equal("/healthz?full=1", p.Path);
        Assert.Equal("::1", p.Host);
        Assert.Equal<KeyValuePair<string, string>>([new("Host", "example.com"), new("X-Probe", "1")], p.Headers);
    }

    [Fact]
    public void An_http_probe_defaults_to_slash_on_localhost()
    {
        var p = Web("readiness_probe: {http: {port: 80}}").ReadinessProbe!;
        Assert.Equal("/", p.Path);
        Assert.Equal("127.0.0.1", p.Host);
        Assert.Empty(p.Headers);
    }

    [Theory]
    [InlineData("http_get", ProbeKind.Http)]
    [InlineData("httpGet", ProbeKind.Http)]
    [InlineData("tcp_socket", ProbeKind.Tcp)]
    [InlineData("tcpSocket", ProbeKind.Tcp)]
    public void Kubernetes_spellings_of_the_probe_types_are_accepted(string key, ProbeKind kind)
    {
        var p = Web($"startup_probe:\n  {key}:\n    port: 9000\n    host: db").StartupProbe!;
        Assert.Equal(kind, p.Kind);
        Assert.Equal(9000, p.Port);
        Assert.Equal("db", p.Host);
        Assert.True(Web($"startup_probe:\n  {key}: {{port: 1}}").HasReadiness);
    }

    [Fact]
    public void A_service_has_all_three_probes_each_in_its_place()
    {
        var web = Web("startup_probe: {exec: [a]}\nreadiness_probe: {exec: [b]}\nliveness_probe: {exec: [c]}");
        Assert.Equal<string>(["a"], web.Probe(ProbeRole.Startup)!.Command);
        Assert.Equal<string>(["b"], web.Probe(ProbeRole.Readiness)!.Command);
        Assert.Equal<string>(["c"], web.Probe(ProbeRole.Liveness)!.Command);
        Assert.Equal([4, 5, 6], new[] { web.StartupProbe!.Where.Line, web.ReadinessProbe!.Where.Line, web.LivenessProbe!.Where.Line });
    }

    // ---- probes: timing ----

    [Fact]
    public void Probe_timing_is_durations_and_thresholds()
    {
        var p = Web("readiness_probe:\n  exec: [ok]\n  initial_delay: 0s\n  period: 2s\n  timeout: 500ms\n  success_threshold: 2\n  failure_threshold: 5").ReadinessProbe!;
        Assert.Equal(TimeSpan.Zero, p.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), p.Period);
        Assert.Equal(TimeSpan.FromMilliseconds(500), p.Timeout);
        Assert.Equal(2, p.SuccessThreshold);
        Assert.Equal(5, p.FailureThreshold);
    }

    [Fact]
    public void Kubernetes_seconds_spellings_are_whole_seconds()
    {
        var p = Web("readiness_probe:\n  httpGet: {port: 80, path: /ready}\n  initialDelaySeconds: 5\n  periodSeconds: 3\n  timeoutSeconds: 2\n  successThreshold: 2\n  failureThreshold: 4").ReadinessProbe!;
        Assert.Equal(TimeSpan.FromSeconds(5), p.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), p.Period);
        Assert.Equal(TimeSpan.FromSeconds(2), p.Timeout);
        Assert.Equal(2, p.SuccessThreshold);
        Assert.Equal(4, p.FailureThreshold);
        Assert.Equal(TimeSpan.Zero, Web("readiness_probe: {exec: [ok], initialDelaySeconds: 0}").ReadinessProbe!.InitialDelay);
    }

    [Theory]
    [InlineData("startup_probe")]
    [InlineData("liveness_probe")]
    public void Startup_and_liveness_probes_may_say_success_threshold_1(string key)
    {
        Assert.Equal(1, Web($"{key}: {{exec: [ok], success_threshold: 1}}").Probe(key == "startup_probe" ? ProbeRole.Startup : ProbeRole.Liveness)!.SuccessThreshold);
    }

    [Theory]
    [InlineData("startup_probe:\n  exec: [ok]\n  success_threshold: 2", "corral.yaml:6: services.web.startup_probe.success_threshold: must be 1 for a startup probe (as in Kubernetes); only a readiness probe may ask for more passes in a row")]
    [InlineData("liveness_probe:\n  exec: [ok]\n  successThreshold: 3", "corral.yaml:6: services.web.liveness_probe.successThreshold: must be 1 for a liveness probe (as in Kubernetes); only a readiness probe may ask for more passes in a row")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  success_threshold: 0", "corral.yaml:6: services.web.readiness_probe.success_threshold: expected an integer from 1 to 2147483647, got '0'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  failure_threshold: 0", "corral.yaml:6: services.web.readiness_probe.failure_threshold: expected an integer from 1 to 2147483647, got '0'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  failureThreshold: many", "corral.yaml:6: services.web.readiness_probe.failureThreshold: expected an integer from 1 to 2147483647, got 'many'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  initial_delay: -1s", "corral.yaml:6: services.web.readiness_probe.initial_delay: expected a duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '-1s'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  period: 0s", "corral.yaml:6: services.web.readiness_probe.period: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '0s'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  timeout: 0", "corral.yaml:6: services.web.readiness_probe.timeout: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '0'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  initialDelaySeconds: -1", "corral.yaml:6: services.web.readiness_probe.initialDelaySeconds: expected an integer from 0 to 2147483647, got '-1'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  periodSeconds: 0", "corral.yaml:6: services.web.readiness_probe.periodSeconds: expected an integer from 1 to 2147483647, got '0'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  timeoutSeconds: 1s", "corral.yaml:6: services.web.readiness_probe.timeoutSeconds: expected an integer from 1 to 2147483647, got '1s'")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  period: 5s\n  periodSeconds: 5", "corral.yaml:7: services.web.readiness_probe.periodSeconds: 'periodSeconds' and 'period' both set period; keep one")]
    [InlineData("readiness_probe:\n  exec: [ok]\n  periods: 5s", "corral.yaml:6: services.web.readiness_probe.periods: unknown key 'periods'; did you mean 'period'? (allowed: exec, http, tcp, initial_delay, period, timeout, success_threshold, failure_threshold, http_get, httpGet, tcp_socket, tcpSocket, initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold)")]
    public void Wrong_probe_timing_is_an_error_at_its_line(string settings, string problem)
    {
        Assert.Equal(problem, WebProblem(settings));
    }

    // ---- probes: wrong types and shapes ----

    [Theory]
    [InlineData("readiness_probe:\n  period: 5s", "corral.yaml:4: services.web.readiness_probe: missing the probe type: one of exec, http, tcp (such as exec: [pg_isready] or http: {port: 8080, path: /healthz})")]
    [InlineData("readiness_probe: {}", "corral.yaml:4: services.web.readiness_probe: missing the probe type: one of exec, http, tcp (such as exec: [pg_isready] or http: {port: 8080, path: /healthz})")]
    [InlineData("liveness_probe:\n  exec: [a]\n  tcp: {port: 1}", "corral.yaml:6: services.web.liveness_probe.tcp: a probe has exactly one of exec, http, tcp; this one has 'exec' already")]
    [InlineData("liveness_probe:\n  http: {port: 1}\n  httpGet: {port: 1}", "corral.yaml:6: services.web.liveness_probe.httpGet: a probe has exactly one of exec, http, tcp; this one has 'http' already")]
    [InlineData("liveness_probe: pg_isready", "corral.yaml:4: services.web.liveness_probe: expected a mapping with one of exec, http, tcp, and optionally initial_delay, period, timeout, success_threshold, failure_threshold, got 'pg_isready'")]
    [InlineData("liveness_probe:", "corral.yaml:4: services.web.liveness_probe: expected a mapping with one of exec, http, tcp, and optionally initial_delay, period, timeout, success_threshold, failure_threshold, got no value")]
    [InlineData("liveness_probe:\n  htpp: {port: 1}", "corral.yaml:5: services.web.liveness_probe.htpp: unknown key 'htpp'; did you mean 'http'? (allowed: exec, http, tcp, initial_delay, period, timeout, success_threshold, failure_threshold, http_get, httpGet, tcp_socket, tcpSocket, initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold)")]
    [InlineData("liveness_probe:\n  grpc: {port: 1}", "corral.yaml:5: services.web.liveness_probe.grpc: unknown key 'grpc' (allowed: exec, http, tcp, initial_delay, period, timeout, success_threshold, failure_threshold, http_get, httpGet, tcp_socket, tcpSocket, initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold)")]
    public void A_probe_without_exactly_one_type_is_an_error(string settings, string problem)
    {
        Assert.Equal(problem, WebProblem(settings));
    }

    [Theory]
    [InlineData("exec: []", "corral.yaml:5: services.web.readiness_probe.exec: the command is empty; it needs at least a program to run")]
    [InlineData("exec: ''", "corral.yaml:5: services.web.readiness_probe.exec: the command is empty; it needs at least a program to run")]
    [InlineData("exec: ['', x]", "corral.yaml:5: services.web.readiness_probe.exec: the command is empty; it needs at least a program to run")]
    [InlineData("exec:", "corral.yaml:5: services.web.readiness_probe.exec: expected a list of arguments, a command string, or {command: …}, got no value")]
    [InlineData("exec: [a, [b]]", "corral.yaml:5: services.web.readiness_probe.exec[1]: expected an argument string, got a list")]
    [InlineData("exec: check 'x", "corral.yaml:5: services.web.readiness_probe.exec: unterminated single quote at character 7")]
    [InlineData("exec: {}", "corral.yaml:5: services.web.readiness_probe.exec.command: missing 'command:' (a list of arguments, or a string split into words like a shell would)")]
    [InlineData("exec:\n    cmd: [a]", "corral.yaml:6: services.web.readiness_probe.exec.cmd: unknown key 'cmd' (allowed: command)")]
    [InlineData("exec:\n    comand: [a]", "corral.yaml:6: services.web.readiness_probe.exec.comand: unknown key 'comand'; did you mean 'command'? (allowed: command)")]
    [InlineData("exec:\n    command: [a, ~]", "corral.yaml:6: services.web.readiness_probe.exec.command[1]: expected an argument string, got no value")]
    public void A_wrong_exec_probe_is_an_error(string probe, string problem)
    {
        Assert.Equal(problem, WebProblem("readiness_probe:\n  " + probe));
    }

    [Fact]
    public void An_exec_string_with_shell_syntax_warns_that_no_shell_runs_it()
    {
        var (config, diagnostics) = Read(WebYaml("readiness_probe:\n  exec: curl -f localhost || exit 1"));
        Assert.Equal<string>(["curl", "-f", "localhost", "||", "exit", "1"], config!.Services[0].ReadinessProbe!.Command);
        var d = Assert.Single(diagnostics);
        Assert.Equal("corral.yaml:5: warning: services.web.readiness_probe.exec: '|' reaches the program as it is written, no shell interprets it; write [sh, -c, '…'] to run it with a shell", d.ToString());
    }

    [Theory]
    [InlineData("http: {path: /}", "corral.yaml:5: services.web.readiness_probe.http.port: missing 'port:', the port to send GET requests to (1 to 65535)")]
    [InlineData("http: {port: 0}", "corral.yaml:5: services.web.readiness_probe.http.port: expected an integer from 1 to 65535, got '0'")]
    [InlineData("http: {port: 65536}", "corral.yaml:5: services.web.readiness_probe.http.port: expected an integer from 1 to 65535, got '65536'")]
    [InlineData("http: {port: http}", "corral.yaml:5: services.web.readiness_probe.http.port: expected an integer from 1 to 65535, got 'http'")]
    [InlineData("http: {port: 80, path: healthz}", "corral.yaml:5: services.web.readiness_probe.http.path: a path starts with '/', such as /healthz")]
    [InlineData("http: {port: 80, path: '/a b'}", "corral.yaml:5: services.web.readiness_probe.http.path: a path has no spaces or control characters (write %20 for a space)")]
    [InlineData("http: {port: 80, host: ''}", "corral.yaml:5: services.web.readiness_probe.http.host: '' is not a host name or address (such as 127.0.0.1, ::1 or db)")]
    [InlineData("http: {port: 80, host: 'http://db'}", "corral.yaml:5: services.web.readiness_probe.http.host: 'http://db' is not a host name or address (such as 127.0.0.1, ::1 or db)")]
    [InlineData("http: {port: 80, headers: [a]}", "corral.yaml:5: services.web.readiness_probe.http.headers: expected a mapping of header names to values, such as {Host: example.com}, got a list")]
    [InlineData("http: {port: 80, headers: {'X Y': 1}}", "corral.yaml:5: services.web.readiness_probe.http.headers.X Y: 'X Y' is not a header name (letters, digits and !#$%&'*+-.^_`|~)")]
    [InlineData("http: {port: 80, headers: {X-Y: }}", "corral.yaml:5: services.web.readiness_probe.http.headers.X-Y: expected a header value, got no value")]
    [InlineData("http: {port: 80, headers: {X-Y: \"a\\r\\nb\"}}", "corral.yaml:5: services.web.readiness_probe.http.headers.X-Y: a header value is one line")]
    [InlineData("http: {port: 80, scheme: HTTPS}", "corral.yaml:5: services.web.readiness_probe.http.scheme: unknown key 'scheme' (allowed: port, path, host, headers)")]
    [InlineData("http: 8080", "corral.yaml:5: services.web.readiness_probe.http: expected a mapping with port, and optionally path, host, headers, got '8080'")]
    [InlineData("httpGet: {port: 80, path: x}", "corral.yaml:5: services.web.readiness_probe.httpGet.path: a path starts with '/', such as /x")]
    [InlineData("tcp: {host: db}", "corral.yaml:5: services.web.readiness_probe.tcp.port: missing 'port:', the port to connect to (1 to 65535)")]
    [InlineData("tcp: {port: -1}", "corral.yaml:5: services.web.readiness_probe.tcp.port: expected an integer from 1 to 65535, got '-1'")]
    [InlineData("tcpSocket: {port: 1, hots: db}", "corral.yaml:5: services.web.readiness_probe.tcpSocket.hots: unknown key 'hots'; did you mean 'host'? (allowed: port, host)")]
    [InlineData("tcp: {prot: 1}", "corral.yaml:5: services.web.readiness_probe.tcp.prot: unknown key 'prot'; did you mean 'port'? (allowed: port, host)")]
    [InlineData("tcp: 5432", "corral.yaml:5: services.web.readiness_probe.tcp: expected a mapping with port, and optionally host, got '5432'")]
    public void A_wrong_http_or_tcp_probe_is_an_error(string probe, string problem)
    {
        Assert.Equal(problem, WebProblem("readiness_probe:\n  " + probe));
    }

    [Fact]
    public void An_http_port_missing_on_a_block_mapping_is_reported_at_the_mapping()
    {
        Assert.Equal("corral.yaml:6: services.web.readiness_probe.http.port: missing 'port:', the port to send GET requests to (1 to 65535)",
            WebProblem("readiness_probe:\n  http:\n    path: /"));
    }

    // ---- all at once ----

    [Fact]
    public void Every_readiness_problem_of_a_file_is_reported_in_one_pass()
    {
        var problems = Problems(WebYaml(
            "ready: {notify_fd: 1}\nready_timeout: never\nwatchdog: 0\n"
            + "startup_probe:\n  exec: []\n  success_threshold: 2\n"
            + "readiness_probe:\n  http: {port: 0, path: x}\n"
            + "liveness_probe:\n  tcp: {}\n  periodSeconds: 0\n"
            + "readyness_probe: {exec: [a]}"));
        Assert.Equal(
            [
                "corral.yaml:4: services.web.ready.notify_fd: expected an integer from 3 to 1023, got '1'",
                "corral.yaml:5: services.web.ready_timeout: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got 'never'",
                "corral.yaml:6: services.web.watchdog: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '0'",
                "corral.yaml:8: services.web.startup_probe.exec: the command is empty; it needs at least a program to run",
                "corral.yaml:9: services.web.startup_probe.success_threshold: must be 1 for a startup probe (as in Kubernetes); only a readiness probe may ask for more passes in a row",
                "corral.yaml:11: services.web.readiness_probe.http.port: expected an integer from 1 to 65535, got '0'",
                "corral.yaml:11: services.web.readiness_probe.http.path: a path starts with '/', such as /x",
                "corral.yaml:13: services.web.liveness_probe.tcp.port: missing 'port:', the port to connect to (1 to 65535)",
                "corral.yaml:14: services.web.liveness_probe.periodSeconds: expected an integer from 1 to 2147483647, got '0'",
                "corral.yaml:15: services.web.readyness_probe: unknown key 'readyness_probe'; did you mean 'readiness_probe'? (allowed: command, shell, type, depends_on, restart, backoff, max_restarts, restart_window, success_exit_codes, on_failure, main, stop, user, group, working_dir, umask, rlimits, environment, env_file, inherit_env, logs, ready, ready_timeout, watchdog, startup_probe, readiness_probe, liveness_probe, groups, replicas)",
            ],
            problems);
    }

    [Fact]
    public void Probe_settings_merge_from_an_anchor_like_other_settings()
    {
        var config = Clean(
            "x-probe: &probe\n  period: 2s\n  failure_threshold: 6\nservices:\n  web:\n    command: [app]\n    readiness_probe:\n      <<: *probe\n      http: {port: 80}\n");
        var p = config.Services[0].ReadinessProbe!;
        Assert.Equal(TimeSpan.FromSeconds(2), p.Period);
        Assert.Equal(6, p.FailureThreshold);
        Assert.Equal(80, p.Port);
    }
}
