using Corral.Core.Config;

namespace Corral.Core.Tests.Config;

public sealed class AccountNamesTests
{
    [Fact]
    public void The_names_are_the_first_fields_and_comments_and_blank_lines_are_skipped()
    {
        var names = AccountNames.Parse("root:x:0:0:root:/root:/bin/sh\r\n# a comment\n\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\nbroken line\n");
        Assert.Equal(["root", "www-data"], names.Order(StringComparer.Ordinal));
    }
}
