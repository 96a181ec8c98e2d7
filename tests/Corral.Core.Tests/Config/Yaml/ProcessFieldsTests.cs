using Corral.Core.Model;
using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Yaml.YamlTestHelpers;

namespace Corral.Core.Tests.Config.Yaml;

/// <summary>The process's surroundings: identity, umask, rlimits, environment, logs.</summary>
public sealed class ProcessFieldsTests
{
    static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);

    [Fact]
    public void Identity_and_working_directory_are_read_as_strings()
    {
        var web = Web("user: www-data\ngroup: 1000\nworking_dir: /srv/app");
        Assert.Equal("www-data", web.User);
        Assert.Equal("1000", web.Group);
        Assert.Equal("/srv/app", web.WorkingDir);
    }

    [Theory]
    [InlineData("user: [a]", "corral.yaml:4: services.web.user: expected a string, got a list")]
    [InlineData("group:", "corral.yaml:4: services.web.group: expected a string, got no value")]
    [InlineData("working_dir: {a: 1}", "corral.yaml:4: services.web.working_dir: expected a string, got a mapping")]
    public void Identity_that_is_not_a_string_is_an_error(string line, string problem)
    {
        Assert.Equal(problem, WebProblem(line));
    }

    [Theory]
    [InlineData("\"027\"", 0b000_010_111)]
    [InlineData("027", 0b000_010_111)]
    [InlineData("0o27", 0b000_010_111)]
    [InlineData("22", 0b000_010_010)]
    [InlineData("0777", 0b111_111_111)]
    [InlineData("0", 0)]
    public void Umask_is_always_octal(string value, int expected)
    {
        Assert.Equal(expected, Web($"umask: {value}").Umask);
    }

    [Theory]
    [InlineData("089")]
    [InlineData("1000")]
    [InlineData("rwx")]
    [InlineData("0o")]
    public void A_umask_that_is_not_an_octal_mask_is_an_error(string value)
    {
        Assert.Equal($"corral.yaml:4: services.web.umask: expected an octal mask from 000 to 777 such as \"027\" or 0o022, got '{value}'", WebProblem($"umask: {value}"));
    }

    [Fact]
    public void Rlimits_take_a_number_soft_colon_hard_unlimited_or_a_mapping()
    {
        var web = Web("rlimits:\n  nofile: 1024\n  nproc: \"100:200\"\n  core: unlimited\n  RLIMIT_STACK: {soft: 8192, hard: -1}");
        Assert.Equal(
            [
                new ResourceLimit("nofile", 1024, 1024),
                new ResourceLimit("nproc", 100, 200),
                new ResourceLimit("core", ResourceLimit.Unlimited, ResourceLimit.Unlimited),
                new ResourceLimit("stack", 8192, ResourceLimit.Unlimited),
            ],
            web.Limits.ToArray());
    }

    [Theory]
    [InlineData("rlimits:\n  nofiles: 10", "corral.yaml:5: services.web.rlimits.nofiles: unknown resource 'nofiles'; did you mean 'nofile'? (cpu, fsize, data, stack, core, rss, nproc, nofile, memlock, as, locks, sigpending, msgqueue, nice, rtprio, rttime)")]
    [InlineData("rlimits:\n  nofile: lots", "corral.yaml:5: services.web.rlimits.nofile: bad limit in 'nofile=lots' (a number, unlimited, or SOFT:HARD)")]
    [InlineData("rlimits:\n  nofile: \"20:10\"", "corral.yaml:5: services.web.rlimits.nofile: soft limit above hard limit in 'nofile=20:10' (a number, unlimited, or SOFT:HARD)")]
    [InlineData("rlimits:\n  nofile: {soft: 10}", "corral.yaml:5: services.web.rlimits.nofile: needs both soft and hard")]
    [InlineData("rlimits:\n  nofile: {soft: 1, hard: 2, max: 3}", "corral.yaml:5: services.web.rlimits.nofile.max: unknown key 'max' (allowed: soft, hard)")]
    [InlineData("rlimits:\n  nofile: 1\n  NOFILE: 2", "corral.yaml:6: services.web.rlimits.NOFILE: 'nofile' is limited twice")]
    [InlineData("rlimits: [nofile=1]", "corral.yaml:4: services.web.rlimits: expected a mapping such as {nofile: 1024, core: unlimited}, got a list")]
    public void A_bad_rlimit_is_an_error(string lines, string problem)
    {
        Assert.Equal(problem, WebProblem(lines));
    }

    [Fact]
    public void Environment_as_a_mapping_keeps_the_written_order_and_values_as_text()
    {
        var web = Web("environment:\n  B: two\n  A: 1\n  FLAG: true\n  EMPTY: \"\"");
        Assert.Equal([Pair("B", "two"), Pair("A", "1"), Pair("FLAG", "true"), Pair("EMPTY", "")], web.Environment.ToArray());
    }

    [Fact]
    public void Environment_as_a_list_of_name_equals_value_splits_at_the_first_equals()
    {
        var web = Web("environment:\n  - A=1\n  - URL=http://x/?a=b\n  - EMPTY=");
        Assert.Equal([Pair("A", "1"), Pair("URL", "http://x/?a=b"), Pair("EMPTY", "")], web.Environment.ToArray());
    }

    [Fact]
    public void A_variable_without_a_value_is_skipped_with_a_warning()
    {
        var (config, diagnostics) = Read(WebYaml("environment:\n  - DEBUG\n  - A=1"));
        Assert.Equal([Pair("A", "1")], config!.Services[0].Environment.ToArray());
        Assert.Equal(["corral.yaml:5: warning: services.web.environment[0]: 'DEBUG' has no value and is skipped (write DEBUG= for an empty value)"],
            diagnostics.Select(d => d.ToString()));

        (config, diagnostics) = Read(WebYaml("environment:\n  DEBUG:\n  A: 1"));
        Assert.Equal([Pair("A", "1")], config!.Services[0].Environment.ToArray());
        Assert.Equal(["corral.yaml:5: warning: services.web.environment.DEBUG: 'DEBUG' has no value and is skipped (write DEBUG: \"\" for an empty value)"],
            diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("environment:\n  - =x", "corral.yaml:5: services.web.environment[0]: a variable needs a name before '='")]
    [InlineData("environment:\n  - [a]", "corral.yaml:5: services.web.environment[0]: expected a \"NAME=value\" string, got a list")]
    [InlineData("environment:\n  A: [1, 2]", "corral.yaml:5: services.web.environment.A: expected a string value, got a list")]
    [InlineData("environment: A=1", "corral.yaml:4: services.web.environment: expected a mapping of names to values, or a list of \"NAME=value\" strings, got 'A=1'")]
    public void A_malformed_environment_is_an_error(string lines, string problem)
    {
        Assert.Equal(problem, WebProblem(lines));
    }

    [Fact]
    public void Env_file_is_one_path_or_a_list()
    {
        Assert.Equal<string>([".env"], Web("env_file: .env").EnvFiles);
        Assert.Equal<string>(["a.env", "/etc/b.env"], Web("env_file: [a.env, /etc/b.env]").EnvFiles);
    }

    [Theory]
    [InlineData("env_file: {a: 1}", "corral.yaml:4: services.web.env_file: expected a path or a list of paths, got a mapping")]
    [InlineData("env_file: [a, [b]]", "corral.yaml:4: services.web.env_file[1]: expected a string, got a list")]
    [InlineData("inherit_env: nope", "corral.yaml:4: services.web.inherit_env: expected true or false, got 'nope'")]
    public void A_bad_env_file_or_inherit_env_is_an_error(string line, string problem)
    {
        Assert.Equal(problem, WebProblem(line));
    }

    [Fact]
    public void Inherit_env_can_be_turned_off()
    {
        Assert.False(Web("inherit_env: false").InheritEnv);
    }

    [Fact]
    public void Logs_take_a_prefix_targets_and_a_format()
    {
        var logs = Web("logs:\n  prefix: false\n  stdout: /var/log/web.log\n  stderr: discard\n  format: json").Logs;
        Assert.Equal(new LogSpec(false, new LogTarget(LogTargetKind.File, "/var/log/web.log"), LogTarget.Discard, LogFormat.Json), logs);
        Assert.Equal(LogSpec.Default with { Stderr = new LogTarget(LogTargetKind.File, "./err.log") }, Web("logs: {stdout: inherit, stderr: ./err.log}").Logs);
    }

    [Theory]
    [InlineData("logs: {stdout: inhert}", "corral.yaml:4: services.web.logs.stdout: unknown value 'inhert' (inherit, discard, or a file path containing '/', such as ./inhert.log)")]
    [InlineData("logs: {stdout: file.log}", "corral.yaml:4: services.web.logs.stdout: unknown value 'file.log' (inherit, discard, or a file path containing '/', such as ./file.log)")]
    [InlineData("logs: {stderr: [a]}", "corral.yaml:4: services.web.logs.stderr: expected inherit, discard, a file path or a mapping with file, got a list")]
    [InlineData("logs: {format: xml}", "corral.yaml:4: services.web.logs.format: unknown value 'xml' (text, json)")]
    [InlineData("logs: {prefix: on}", "corral.yaml:4: services.web.logs.prefix: write true or false, not 'on' (YAML 1.2 has no other booleans)")]
    [InlineData("logs: {color: true}", "corral.yaml:4: services.web.logs.color: unknown key 'color' (allowed: prefix, stdout, stderr, format)")]
    [InlineData("logs: discard", "corral.yaml:4: services.web.logs: expected a mapping with prefix, stdout, stderr, format, got 'discard'")]
    public void A_bad_log_setting_is_an_error(string line, string problem)
    {
        Assert.Equal(problem, WebProblem(line));
    }

    [Fact]
    public void A_log_file_takes_rotation_and_a_copy_to_corrals_own_stream_in_the_mapping_form()
    {
        var logs = Web("logs:\n  stdout: {file: ./app.log, max_bytes: 10MB, backups: 5, also_stdout: true}\n  stderr:\n    file: /var/log/err.log\n    max_bytes: 64KB\n    also_stderr: false").Logs;
        Assert.Equal(new LogTarget(LogTargetKind.File, "./app.log", 10 << 20, 5, AlsoInherit: true), logs.Stdout);
        Assert.Equal(new LogTarget(LogTargetKind.File, "/var/log/err.log", 64 << 10, 10), logs.Stderr);
        Assert.Equal(new LogTarget(LogTargetKind.File, "./a.log", 1000, 0), Web("logs: {stdout: {file: ./a.log, max_bytes: 1000, backups: 0}}").Logs.Stdout);
        Assert.Equal(new LogTarget(LogTargetKind.File, "./a.log"), Web("logs: {stdout: {file: ./a.log}}").Logs.Stdout);
    }

    [Theory]
    [InlineData("logs: {stdout: {max_bytes: 1MB}}", "corral.yaml:4: services.web.logs.stdout: the mapping form needs file: (a path containing '/', such as ./app.log)")]
    [InlineData("logs: {stdout: {file: app.log}}", "corral.yaml:4: services.web.logs.stdout.file: a file path must contain '/', such as ./app.log")]
    [InlineData("logs: {stdout: {file: ./a.log, max_bytes: lots}}", "corral.yaml:4: services.web.logs.stdout.max_bytes: expected a size such as 10MB, 512KB or 1048576 (0: never rotate), got 'lots'")]
    [InlineData("logs: {stdout: {file: ./a.log, max_bytes: 1MB, backups: -1}}", "corral.yaml:4: services.web.logs.stdout.backups: expected an integer from 0 to 1000, got '-1'")]
    [InlineData("logs: {stderr: {file: ./a.log, also_stdout: true}}", "corral.yaml:4: services.web.logs.stderr.also_stdout: unknown key 'also_stdout' (allowed: file, max_bytes, backups, also_stderr)")]
    [InlineData("logs: {stdout: {file: ./a.log, also_stdout: yes}}", "corral.yaml:4: services.web.logs.stdout.also_stdout: write true or false, not 'yes' (YAML 1.2 has no other booleans)")]
    public void A_bad_log_file_mapping_is_an_error_with_its_line(string line, string problem)
    {
        Assert.Equal(problem, WebProblem(line));
    }

    [Fact]
    public void Backups_without_max_bytes_is_a_warning()
    {
        var (config, diagnostics) = Read(WebYaml("logs: {stdout: {file: ./a.log, backups: 3}}"));
        Assert.NotNull(config);
        Assert.Equal("corral.yaml:4: warning: services.web.logs.stdout.backups: has no effect without max_bytes (the file is never rotated)", Assert.Single(diagnostics).ToString());
    }

    [Fact]
    public void Extension_keys_inside_a_service_are_ignored()
    {
        Assert.Equal<string>(["app"], Web("x-note: anything at all").Command);
    }
}
