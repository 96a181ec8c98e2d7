using Corral.Core.Compat.Supervisord;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Compat.Supervisord;

public class GroupChangesTests
{
    static ServiceSpec Spec(string name, string command = "sleep 1", params string[] groups) =>
        new() { Name = name, Command = [.. command.Split(' ')], MemberOf = [.. groups] };

    static SupervisorConfig Config(params ServiceSpec[] services) => new() { Services = [.. services] };

    [Fact]
    public void Groups_are_added_changed_and_removed_by_their_first_group_or_own_name()
    {
        var running = Config(Spec("sleeper"), Spec("ticker", "sh x", "workers"), Spec("gone"), Spec("a", "sleep 1", "pair"), Spec("b", "sleep 1", "pair"));
        var next = Config(Spec("sleeper"), Spec("ticker", "sh y", "workers"), Spec("extra"), Spec("a", "sleep 1", "pair"), Spec("b", "sleep 1", "pair"));
        var c = GroupChanges.Between(running, next);
        Assert.Equal(["extra"], c.Added);
        Assert.Equal(["workers"], c.Changed);
        Assert.Equal(["gone"], c.Removed);
        Assert.False(c.None);
        Assert.True(GroupChanges.Between(running, running).None);
    }

    [Fact]
    public void A_group_that_gains_a_member_is_changed()
    {
        var c = GroupChanges.Between(Config(Spec("a", "x", "g")), Config(Spec("a", "x", "g"), Spec("b", "x", "g")));
        Assert.Equal(["g"], c.Changed);
    }

    [Fact]
    public void Applying_one_group_leaves_the_others_as_they_run()
    {
        var running = Config(Spec("sleeper"), Spec("ticker", "sh x", "workers"));
        var next = Config(Spec("sleeper", "sleep 2"), Spec("ticker", "sh y", "workers"), Spec("extra"));
        var added = GroupChanges.WithGroup(running, next, "extra");
        Assert.Equal(["sleeper", "ticker", "extra"], added.Services.Select(s => s.Name));
        Assert.Equal("sleep 1", string.Join(' ', added.Services[0].Command));
        var changed = GroupChanges.WithGroup(running, next, "workers");
        Assert.Equal("sh y", string.Join(' ', changed.Services.Single(s => s.Name == "ticker").Command));
        Assert.Equal(["ticker"], GroupChanges.WithoutGroup(running, "sleeper").Services.Select(s => s.Name));
        Assert.True(GroupChanges.Has(running, "workers"));
        Assert.False(GroupChanges.Has(running, "ticker"));
    }
}
