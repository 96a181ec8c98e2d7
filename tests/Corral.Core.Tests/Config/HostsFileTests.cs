using System.Net;
using Corral.Core.Config;

namespace Corral.Core.Tests.Config;

public sealed class HostsFileTests
{
    const string Hosts = "127.0.0.1\tlocalhost\n# 10.0.0.9 db\n10.0.0.5 db db.internal # primary\n::1 localhost ip6-localhost\n10.0.0.6\tDB\nnot-an-ip db\n";

    [Fact]
    public void A_name_resolves_to_every_address_listing_it_in_file_order_ignoring_case_and_comments()
    {
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.6")], HostsFile.Resolve("db", Hosts));
        Assert.Equal([IPAddress.Parse("10.0.0.5")], HostsFile.Resolve("db.internal", Hosts));
    }

    [Fact]
    public void IP_literals_need_no_file()
    {
        Assert.Equal([IPAddress.Parse("192.0.2.1")], HostsFile.Resolve("192.0.2.1", null));
        Assert.Equal([IPAddress.IPv6Loopback], HostsFile.Resolve("::1", null));
    }

    [Fact]
    public void Localhost_resolves_even_without_a_hosts_file()
    {
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], HostsFile.Resolve("localhost", null));
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], HostsFile.Resolve("localhost", Hosts));
    }

    [Fact]
    public void An_unknown_name_resolves_to_nothing()
    {
        Assert.Empty(HostsFile.Resolve("example.com", Hosts));
    }
}
