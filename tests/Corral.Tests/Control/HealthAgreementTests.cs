using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Control;

/// <summary>"Healthy" means one thing in every place Corral says it.</summary>
public class HealthAgreementTests
{
    const string Stack = """
        services:
          setup:
            type: oneshot
            command: sh -c 'echo setup done'
          web:
            command: sh -c 'echo web up; exec sleep 1000'
            groups: [front]
            depends_on:
              setup: {condition: completed_successfully}
          api:
            command: sleep 1000
            groups: [back]
        """;

    static Result Healthcheck(Controlled c, params string[] names) =>
        Run.ExecWith(CorralBinary.Path, new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = c.RunDirectory }, ["healthcheck", .. names]);

    static int HealthApi(Controlled c, string query)
    {
        using var http = c.Http();
        return (int)http.Send(new HttpRequestMessage(HttpMethod.Get, "v1/health" + query)).StatusCode;
    }

    [Fact]
    public void A_longrun_stopped_by_request_is_unhealthy_for_healthcheck_ctl_status_and_the_api_alike()
    {
        var dir = new ConfigDir(Stack);
        using var c = Controlled.Start(dir.Config);
        c.WaitRunning("web");
        c.WaitRunning("api");
        Wait.Until(() => Healthcheck(c).Code == 0, null, "healthy at first");
        Assert.Equal(0, c.Ctl("status").Code);
        Assert.Equal(200, HealthApi(c, ""));

        Assert.Equal(0, c.Ctl("stop", "web").Code);
        Wait.Until(() => c.State("web") == "exited", null, "web stopped");
        Wait.Until(() => Healthcheck(c).Code == 1, null, "the status file to follow");
        var check = Healthcheck(c, "web");
        Assert.Equal(1, check.Code);
        Assert.Contains("web is not running", check.Stdout);
        Assert.Equal(3, c.Ctl("status").Code);
        Assert.Equal(503, HealthApi(c, "?service=web"));
        Assert.False(c.Service("web").GetProperty("healthy").GetBoolean());
        // The oneshot that succeeded, and the service still running, are healthy everywhere.
        Assert.True(c.Service("setup").GetProperty("healthy").GetBoolean());
        Assert.Equal(0, Healthcheck(c, "setup", "api").Code);
        Assert.Equal(0, c.Ctl("status", "setup", "api").Code);
        Assert.Equal(200, HealthApi(c, "?service=setup,api"));
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Healthcheck_takes_group_names_as_ctl_does()
    {
        var dir = new ConfigDir(Stack);
        using var c = Controlled.Start(dir.Config);
        c.WaitRunning("web");
        c.WaitRunning("api");
        Wait.Until(() => Healthcheck(c, "front").Code == 0, null, "group front healthy");
        Assert.Equal(0, Healthcheck(c, "back:*").Code);
        Assert.Equal(0, c.Ctl("stop", "api").Code);
        Wait.Until(() => Healthcheck(c, "back").Code == 1, null, "group back unhealthy");
        Assert.Equal(0, Healthcheck(c, "front").Code);
        var unknown = Healthcheck(c, "nope");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("no such service or group: nope", unknown.Stdout);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Restart_ends_with_the_new_pid_and_reload_names_only_what_changed_and_how()
    {
        var dir = new ConfigDir(Stack);
        using var c = Controlled.Start(dir.Config);
        var old = c.WaitRunning("web");
        c.WaitRunning("api");

        var restart = c.Ctl("restart", "web");
        Assert.Equal(0, restart.Code);
        var last = restart.Stdout.Trim().Split('\n')[^1];
        Assert.Matches(@"^web: running \(pid \d+\)$", last);
        var fresh = int.Parse(System.Text.RegularExpressions.Regex.Match(last, @"pid (\d+)").Groups[1].Value);
        Assert.NotEqual(old, fresh);
        Assert.Equal(fresh, c.Pid("web"));

        File.WriteAllText(dir.Config, Stack.Replace("command: sleep 1000", "command: sleep 1001").Replace("groups: [back]", "groups: [back]\n    environment: {MODE: fast}"));
        var reload = c.Ctl("reload");
        Assert.Equal(0, reload.Code);
        Assert.Contains("api: changed: command, environment", reload.Stdout);
        // Unchanged services are not listed as if acted on.
        Assert.DoesNotContain("web:", reload.Stdout);
        Assert.DoesNotContain("setup:", reload.Stdout);
        Assert.Equal(0, c.Stop());
    }
}
