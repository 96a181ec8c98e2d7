using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>What a new user sees from corral check and corral run when the file is not right yet.</summary>
public class ConfigProblemTests
{
    static string Bin => CorralBinary.Path;

    static string[] ProblemLines(Result r) =>
        [.. r.Stderr.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^corral: .*\.yaml:\d+: "))];

    [Fact]
    public void Check_reports_type_errors_unknown_dependencies_and_cycles_in_one_run_sorted_by_line()
    {
        var dir = new ConfigDir("""
            services:
              a:
                command: "true"
                depends_on: [b]
              b:
                command: "true"
                restart: sometimes
                depends_on: [a]
              c:
                command: "true"
                depends_on: [nope]
            """);
        var r = Run.Exec(Bin, "check", "-c", dir.Config);
        Assert.Equal(1, r.Code);
        var lines = ProblemLines(r);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"corral: {dir.Config}:7: services.b.restart: unknown value 'sometimes'", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"corral: {dir.Config}:8: services.b.depends_on: dependency cycle: a -> b -> a", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"corral: {dir.Config}:11: services.c.depends_on: 'c' depends on 'nope', which is not a service", lines[2], StringComparison.Ordinal);
        Assert.Contains("3 errors, nothing started", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_line_that_is_not_a_regular_expression_is_explained_in_words_not_a_resource_key()
    {
        var dir = new ConfigDir("services:\n  web:\n    command: x\n    ready: {log_line: \"([\"}\n");
        var r = Run.Exec(Bin, "check", "-c", dir.Config);
        Assert.Equal(1, r.Code);
        Assert.Contains($"{dir.Config}:4: services.web.ready.log_line: '([' is not a valid regular expression (a '[' is not closed); escape special characters with '\\'", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("MakeException", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_password_file_is_worded_without_a_resource_key()
    {
        var dir = new ConfigDir("control:\n  tcp: {listen: '127.0.0.1:9100', username: a, password_file: missing.txt}\nservices:\n  web: {command: x}\n");
        var r = Run.Exec(Bin, "check", "-c", dir.Config);
        Assert.Equal(1, r.Code);
        Assert.Contains($"control.tcp.password_file: cannot read {dir.File("missing.txt")}: no such file", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("IO_", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_colon_inside_an_unquoted_command_is_explained_with_its_line_and_the_fix()
    {
        var dir = new ConfigDir("services:\n  web:\n    command: sh -c 'echo \"setup: done\"'\n");
        var r = Run.Exec(Bin, "check", "-c", dir.Config);
        Assert.Equal(1, r.Code);
        var line = Assert.Single(ProblemLines(r));
        Assert.StartsWith($"corral: {dir.Config}:3: YAML syntax error: the value of 'command' contains ': '", line, StringComparison.Ordinal);
        Assert.Contains("quote the whole value", line, StringComparison.Ordinal);
        Assert.Contains("'command: >-'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_come_from_corrals_environment_and_two_dollars_reach_the_shell_as_one()
    {
        var dir = new ConfigDir("""
            services:
              show:
                type: oneshot
                main: true
                shell: true
                command: echo "${GREETING}-${MISSING:-fallback}-$$SHELL_ONLY"
                environment:
                  SHELL_ONLY: from-the-service
                stop:
                  timeout: ${STOP_AFTER:-3s}
            """);
        var env = new Dictionary<string, string?> { ["GREETING"] = "hello", ["SHELL_ONLY"] = "from-corral" };
        var r = Run.ExecWith(Bin, env, "run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        Assert.Contains("hello-fallback-from-the-service", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_warns_of_an_unset_variable_and_fails_on_a_required_one()
    {
        var dir = new ConfigDir("services:\n  web:\n    command: [echo, $NOT_SET_ANYWHERE]\n    user: ${RUN_AS:?set RUN_AS to the user}\n");
        var r = Run.Exec(Bin, "check", "-c", dir.Config);
        Assert.Equal(1, r.Code);
        var lines = ProblemLines(r);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"corral: {dir.Config}:3: warning: services.web.command[1]: $NOT_SET_ANYWHERE is not set", lines[0], StringComparison.Ordinal);
        Assert.Contains("$$NOT_SET_ANYWHERE", lines[0], StringComparison.Ordinal);
        Assert.Equal($"corral: {dir.Config}:4: services.web.user: $RUN_AS is required and is not set: set RUN_AS to the user", lines[1]);
    }

    [Fact]
    public void Check_warns_of_a_missing_program_user_group_and_working_dir_but_passes()
    {
        var dir = new ConfigDir("""
            services:
              web:
                command: no-such-program-anywhere --flag
                user: no-such-user
                group: no-such-group
                working_dir: ./not-there
              ok:
                command: [sh, -c, "true"]
                user: "0"
                group: root
              script:
                shell: true
                command: no-such-program-but-the-shell-is-there
            """);
        var r = Run.Exec(Bin, "check", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        Assert.Contains("ok, 3 services", r.Stdout, StringComparison.Ordinal);
        var lines = ProblemLines(r);
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.StartsWith($"corral: {dir.Config}:2: warning: services.web.", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("command: 'no-such-program-anywhere' is not in PATH", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("user: no user 'no-such-user' in /etc/passwd", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("group: no group 'no-such-group' in /etc/group", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"working_dir: '{dir.File("not-there")}' does not exist here", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_prints_the_host_warnings_and_still_runs()
    {
        var dir = new ConfigDir("""
            services:
              missing:
                command: no-such-program-anywhere
                restart: never
              done:
                type: oneshot
                main: true
                command: [sh, -c, "echo ran anyway"]
            """);
        var r = Run.Exec(Bin, "run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        Assert.Contains($"{dir.Config}:2: warning: services.missing.command: 'no-such-program-anywhere' is not in PATH", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("ran anyway", r.Stdout, StringComparison.Ordinal);
    }
}
