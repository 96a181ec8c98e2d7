using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Yaml.YamlTestHelpers;

namespace Corral.Core.Tests.Config.Yaml;

public class ControlTests
{
    const string Services = "services:\n  a:\n    command: [a]\n";

    [Fact]
    public void Without_a_control_block_the_socket_is_on_at_its_default_place()
    {
        var control = Clean(Services).Control;
        Assert.True(control.Enabled);
        Assert.Null(control.Socket);
        Assert.Null(control.Tcp);
        Assert.Equal(TimeSpan.FromMinutes(1), control.EffectiveIdleStop);
    }

    [Fact]
    public void Socket_false_turns_it_off_and_a_path_moves_it()
    {
        Assert.False(Clean("control: {socket: false}\n" + Services).Control.Enabled);
        Assert.Equal("/srv/ctl.sock", Clean("control: {socket: /srv/ctl.sock}\n" + Services).Control.Socket);
        // A relative path is relative to the config file's directory, which the caller gives.
        var (config, _) = Corral.Core.Config.Yaml.YamlConfigReader.Read("control: {socket: run/ctl.sock}\n" + Services, "corral.yaml", "/srv/app");
        Assert.Equal("/srv/app/run/ctl.sock", config!.Control.Socket);
    }

    [Fact]
    public void Tcp_takes_an_address_and_credentials()
    {
        var control = Clean("control:\n  idle_stop: 5s\n  tcp: {listen: \"127.0.0.1:9100\", username: admin, password: pw}\n" + Services).Control;
        Assert.Equal(new TcpListen("127.0.0.1", 9100, "admin", "pw"), control.Tcp);
        Assert.Equal(TimeSpan.FromSeconds(5), control.EffectiveIdleStop);
        Assert.Equal("*", Clean("control:\n  tcp: {listen: \":9100\", username: a, password: b}\n" + Services).Control.Tcp!.Host);
        Assert.Equal("::1", Clean("control:\n  tcp: {listen: \"[::1]:9100\", username: a, password: b}\n" + Services).Control.Tcp!.Host);
        Assert.DoesNotContain("pw", control.Tcp!.ToString());
    }

    [Theory]
    [InlineData("control:\n  tcp: {listen: \"127.0.0.1:9100\"}", "corral.yaml:2: control.tcp: a TCP control listener needs 'username' and 'password' (or 'password_file'): it is never open without credentials")]
    [InlineData("control:\n  tcp: {listen: \"127.0.0.1:9100\", username: a, password: \"\"}", "corral.yaml:2: control.tcp: a TCP control listener needs 'username' and 'password' (or 'password_file'): it is never open without credentials")]
    [InlineData("control:\n  tcp: {listen: nowhere, username: a, password: b}", "corral.yaml:2: control.tcp.listen: expected HOST:PORT (e.g. 127.0.0.1:9100, or *:9100 for every address), got 'nowhere'")]
    [InlineData("control:\n  tcp: {listen: \"x:70000\", username: a, password: b}", "corral.yaml:2: control.tcp.listen: expected HOST:PORT (e.g. 127.0.0.1:9100, or *:9100 for every address), got 'x:70000'")]
    [InlineData("control:\n  sokcet: /x", "corral.yaml:2: control.sokcet: unknown key 'sokcet'; did you mean 'socket'? (allowed: socket, tcp, idle_stop)")]
    [InlineData("control:\n  socket: \"\"", "corral.yaml:2: control.socket: expected a path, or false to turn the control socket off")]
    [InlineData("control:\n  idle_stop: 0s", "corral.yaml:2: control.idle_stop: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '0s'")]
    [InlineData("control:\n  idle_stop: 500ms", "corral.yaml:2: control.idle_stop: must be at least 1s, got '500ms'")]
    public void Control_mistakes_name_their_line_and_field(string yaml, string problem)
    {
        var problems = Problems(yaml + "\n" + Services);
        Assert.Contains(problem, problems);
    }

    static LoadedConfig WithPasswordFile(string file) =>
        YamlConfigLoader.Load($"control:\n  tcp: {{listen: \"127.0.0.1:1\", username: a, password_file: {file}}}\n" + Services,
            "corral.yaml", new Dictionary<string, string>(), "/srv/app");

    [Fact]
    public void A_password_file_is_named_for_the_caller_to_read_and_its_text_becomes_the_password()
    {
        var loaded = WithPasswordFile("secrets/pw");
        Assert.Empty(loaded.Diagnostics);
        Assert.Equal("/srv/app/secrets/pw", loaded.PasswordFile!.Path);
        Assert.Equal(2, loaded.PasswordFile.Where.Line);
        Assert.Equal("", loaded.Config!.Control.Tcp!.Password);
        var read = loaded.WithPasswordFile("s3cret\n", problem: null);
        Assert.Equal("s3cret", read.Config!.Control.Tcp!.Password);
        Assert.Equal("s3cret", read.Plan!.Config.Control.Tcp!.Password);
        // A reload compares control blocks: the same file on another line is the same control.
        var moved = YamlConfigLoader.Load("# a comment\n" + "control:\n  tcp: {listen: \"127.0.0.1:1\", username: a, password_file: secrets/pw}\n" + Services,
            "corral.yaml", new Dictionary<string, string>(), "/srv/app").WithPasswordFile("s3cret\n", null);
        Assert.Equal(read.Config.Control, moved.Config!.Control);
    }

    [Fact]
    public void A_password_file_that_cannot_be_read_or_is_empty_is_an_error_at_its_field()
    {
        var missing = WithPasswordFile("/nonexistent/pw").WithPasswordFile(null, "no such file");
        Assert.Null(missing.Plan);
        Assert.Equal(["corral.yaml:2: control.tcp.password_file: cannot read /nonexistent/pw: no such file"], missing.Diagnostics.Select(d => d.ToString()));
        var empty = WithPasswordFile("/run/secrets/pw").WithPasswordFile("\n", null);
        Assert.Null(empty.Plan);
        Assert.Contains("/run/secrets/pw is empty", Assert.Single(empty.Diagnostics).Message);
    }
}

public class GroupTests
{
    [Fact]
    public void Groups_take_a_name_or_a_list_and_are_not_compared_on_reload()
    {
        var config = Clean("services:\n  a:\n    command: [a]\n    groups: [web, front]\n  b:\n    command: [b]\n    groups: web\n");
        Assert.Equal(["web", "front"], config.Services[0].MemberOf.ToArray());
        Assert.Equal(["web"], config.Services[1].MemberOf.ToArray());
        Assert.True(Corral.Core.Planning.PlanDiff.Same(config.Services[0], config.Services[0] with { MemberOf = ["other"] }));
    }

    [Theory]
    [InlineData("groups: [\"bad name\"]", "corral.yaml:4: services.web.groups[0]: 'bad name' is not a valid group name (a letter or digit, then letters, digits, '_', '.', '-')")]
    [InlineData("groups: all", "corral.yaml:4: services.web.groups: 'all' already means every service; choose another group name")]
    [InlineData("groups: {a: 1}", "corral.yaml:4: services.web.groups: expected a group name or a list of them, got a mapping")]
    public void Bad_group_names_are_refused(string settings, string problem)
    {
        Assert.Equal(problem, WebProblem(settings));
    }

    [Fact]
    public void A_group_may_not_have_a_services_name()
    {
        var (config, _) = Read("services:\n  web:\n    command: [a]\n  db:\n    command: [b]\n    groups: [web]\n");
        var (plan, diagnostics) = Corral.Core.Planning.PlanCompiler.Compile(config!);
        Assert.Null(plan);
        Assert.Contains(diagnostics, d => d.ToString() == "corral.yaml:4: services.db.groups: group 'web' has the name of a service; a name must mean one or the other");
    }
}
