using System.Text.Json;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;

namespace Corral.Core.Tests.Supervision.Status;

public class StatusJsonTests
{
    static readonly ServiceStatus Web = new(
        "web", ServiceType.Longrun, ServiceState.Running, Main: true, ["front", "back"], Pid: 17, ProcessGroup: 17,
        StartedAt: new DateTime(2026, 11, 29, 21, 2, 11, 512, DateTimeKind.Utc), UptimeSeconds: 192.4, Restarts: 2,
        LastExit: new LastExit(1, null, "exited with code 1"), Ready: true, Live: true, Reason: null, Status: "serving \"é\" <ok>",
        CpuSeconds: 0.42, MemoryBytes: 5242880);

    static readonly ServiceStatus Migrate = new(
        "migrate", ServiceType.Oneshot, ServiceState.Failed, Main: false, [], Pid: null, ProcessGroup: null, StartedAt: null,
        UptimeSeconds: 0, Restarts: 0, LastExit: new LastExit(null, "SIGKILL", "killed by SIGKILL"), Ready: false, Live: true,
        Reason: "killed by SIGKILL", Status: null);

    static readonly SupervisorStatus Status = new(
        new CorralStatus(1, "1.2.3", "/etc/corral.yaml", new DateTime(2026, 11, 29, 21, 0, 0, DateTimeKind.Utc), 3.25, false, 4),
        [Web, Migrate]);

    static string Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    [Fact]
    public void A_status_read_back_from_its_json_equals_the_one_written()
    {
        var back = JsonSerializer.Deserialize(Json(Status, StatusJson.Default.SupervisorStatus), StatusJson.Default.SupervisorStatus);
        Assert.NotNull(back);
        Assert.Equivalent(Status, back, strict: true);
        Assert.Equal(Status.Corral, back.Corral);
        Assert.Equal(Status.Services.Select(s => s with { Groups = [] }), back.Services.Select(s => s with { Groups = [] }));
        Assert.Equal(Status.Services.Select(s => s.Healthy), back.Services.Select(s => s.Healthy));
        Assert.Equal(Json(Status, StatusJson.Default.SupervisorStatus), Json(back, StatusJson.Default.SupervisorStatus));
    }

    [Fact]
    public void The_api_answers_round_trip_too()
    {
        var one = JsonSerializer.Deserialize(Json(new ServiceAnswer(Web), StatusJson.Default.ServiceAnswer), StatusJson.Default.ServiceAnswer);
        Assert.Equivalent(new ServiceAnswer(Web), one, strict: true);
        var acted = new ActionAnswer(["web: restarting by request"], [Web]);
        Assert.Equivalent(acted, JsonSerializer.Deserialize(Json(acted, StatusJson.Default.ActionAnswer), StatusJson.Default.ActionAnswer), strict: true);
        var reloaded = new ActionAnswer(["reloaded"], null);
        Assert.Null(JsonSerializer.Deserialize(Json(reloaded, StatusJson.Default.ActionAnswer), StatusJson.Default.ActionAnswer)!.Services);
    }

    [Fact]
    public void Fields_are_snake_case_enums_are_words_and_every_field_is_written_even_when_null()
    {
        using var doc = JsonDocument.Parse(Json(Status, StatusJson.Default.SupervisorStatus));
        var root = doc.RootElement;
        Assert.Equal(["corral", "services"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["pid", "version", "config", "started_at", "uptime_seconds", "shutting_down", "reaped_orphans"],
            root.GetProperty("corral").EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-29T21:00:00Z", root.GetProperty("corral").GetProperty("started_at").GetString());
        var web = root.GetProperty("services")[0];
        Assert.Equal(
            ["name", "type", "state", "main", "groups", "pid", "process_group", "started_at", "uptime_seconds", "restarts", "last_exit",
             "ready", "live", "reason", "status", "cpu_seconds", "memory_bytes", "goal", "healthy"],
            web.EnumerateObject().Select(p => p.Name));
        Assert.Equal("longrun", web.GetProperty("type").GetString());
        Assert.Equal("running", web.GetProperty("state").GetString());
        Assert.True(web.GetProperty("healthy").GetBoolean());
        Assert.Equal(["code", "signal", "text"], web.GetProperty("last_exit").EnumerateObject().Select(p => p.Name));
        var migrate = root.GetProperty("services")[1];
        Assert.Equal("oneshot", migrate.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, migrate.GetProperty("pid").ValueKind);
        Assert.Equal(JsonValueKind.Null, migrate.GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, migrate.GetProperty("status").ValueKind);
        Assert.Equal(JsonValueKind.Null, migrate.GetProperty("cpu_seconds").ValueKind);
        Assert.Equal("SIGKILL", migrate.GetProperty("last_exit").GetProperty("signal").GetString());
        Assert.False(migrate.GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public void Healthy_is_decided_by_the_reader_not_taken_from_the_file()
    {
        var json = Json(Status, StatusJson.Default.SupervisorStatus).Replace("\"healthy\":false", "\"healthy\":true");
        var back = JsonSerializer.Deserialize(json, StatusJson.Default.SupervisorStatus)!;
        Assert.False(back.Service("migrate")!.Healthy);
        Assert.Equal("migrate failed: killed by SIGKILL", Health.Problem(back.Service("migrate")!));
    }

    [Theory]
    [InlineData("""{"corral_pid": 1, "services": [{"name": "web"}]}""")]
    [InlineData("""{"corral": {"pid": 1, "version": "1", "config": "c", "started_at": "2026-01-01T00:00:00Z", "uptime_seconds": 1, "shutting_down": false, "reaped_orphans": 0}, "services": [{"name": "web"}]}""")]
    [InlineData("""{"corral": null, "services": []}""")]
    [InlineData("""{"corral": {"pid": 1, "version": "1", "config": "c", "started_at": "2026-01-01T00:00:00Z", "uptime_seconds": 1, "shutting_down": false, "reaped_orphans": 0}, "services": [], "future_field": 3}""")]
    public void A_file_of_another_shape_is_refused_rather_than_half_read(string json)
    {
        if (json.Contains("future_field"))
        {
            // Fields a later version adds are skipped: an older healthcheck still reads the file.
            Assert.Empty(JsonSerializer.Deserialize(json, StatusJson.Default.SupervisorStatus)!.Services);
            return;
        }
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, StatusJson.Default.SupervisorStatus));
    }

    [Fact]
    public void An_unknown_state_word_is_refused()
    {
        var json = Json(Status, StatusJson.Default.SupervisorStatus).Replace("\"state\":\"running\"", "\"state\":\"dancing\"");
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, StatusJson.Default.SupervisorStatus));
    }
}
