using Corral.Core.Config;

namespace Corral.Core.Tests.Config;

public sealed class AccountDatabaseTests
{
    const string Passwd = "root:x:0:0:root:/root:/bin/sh\r\n# a comment\n\n+nis\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\nbroken line\nbad:x:no:1::/:/bin/sh\napp:x:1000:1000:App:/home/app:/bin/sh\n";
    const string Group = "root:x:0:\nwww-data:x:33:\napp:x:1000:\nstaff:x:50:app, www-data\naudio:x:29:www-data\nvideo:x:44:app\n";

    static Identity? Resolve(string? user, string? group, out string error) =>
        AccountDatabase.Resolve(user, group, AccountDatabase.ParseUsers(Passwd), AccountDatabase.ParseGroups(Group), 42, out error);

    [Fact]
    public void Users_are_the_well_formed_lines_and_comments_blank_nis_and_broken_lines_are_skipped()
    {
        var users = AccountDatabase.ParseUsers(Passwd);
        Assert.Equal(["root", "www-data", "app"], users.Select(u => u.Name));
        Assert.Equal(new UserEntry("app", 1000, 1000, "/home/app"), users[2]);
    }

    [Fact]
    public void Groups_list_their_members_without_spaces()
    {
        var staff = AccountDatabase.ParseGroups(Group).Single(g => g.Name == "staff");
        Assert.Equal(50u, staff.Gid);
        Assert.Equal(["app", "www-data"], staff.Members.ToArray());
    }

    [Fact]
    public void A_user_name_gets_its_primary_group_then_every_group_listing_it_in_file_order_and_its_home()
    {
        var id = Resolve("app", null, out _)!;
        Assert.Equal((1000u, 1000u, "/home/app"), (id.Uid, id.Gid, id.Home));
        Assert.Equal([1000u, 50u, 44u], id.Groups);
    }

    [Fact]
    public void A_known_uid_is_looked_up_like_its_name()
    {
        var id = Resolve("33", null, out _)!;
        Assert.Equal((33u, 33u, "/var/www"), (id.Uid, id.Gid, id.Home));
        Assert.Equal([33u, 50u, 29u], id.Groups);
    }

    [Fact]
    public void An_unknown_uid_runs_with_the_gid_of_the_same_number_and_no_other_group()
    {
        var id = Resolve("4242", null, out _)!;
        Assert.Equal((4242u, 4242u, (string?)null), (id.Uid, id.Gid, id.Home));
        Assert.Equal([4242u], id.Groups);
    }

    [Fact]
    public void An_explicit_group_by_name_or_number_replaces_every_supplementary_group()
    {
        Assert.Equal([29u], Resolve("app", "audio", out _)!.Groups);
        var id = Resolve("app", "7", out _)!;
        Assert.Equal((1000u, 7u), (id.Uid, id.Gid));
        Assert.Equal([7u], id.Groups);
    }

    [Fact]
    public void A_group_alone_keeps_the_current_uid()
    {
        var id = Resolve(null, "staff", out _)!;
        Assert.Equal((42u, 50u), (id.Uid, id.Gid));
    }

    [Fact]
    public void Unknown_names_are_errors_that_name_the_file()
    {
        Assert.Null(Resolve("nobody-here", null, out var error));
        Assert.Equal("no such user 'nobody-here' in /etc/passwd", error);
        Assert.Null(Resolve("app", "no-group", out error));
        Assert.Equal("no such group 'no-group' in /etc/group", error);
    }

    [Fact]
    public void Without_any_files_numeric_ids_still_work()
    {
        var id = AccountDatabase.Resolve("1000", "1000", [], [], 0, out _)!;
        Assert.Equal((1000u, 1000u), (id.Uid, id.Gid));
    }
}
