using System.Buffers.Binary;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Static;

/// <summary>The published executable is self-sufficient: it runs in a root without a C library.</summary>
public sealed class StaticBinaryTests
{
    const uint PT_DYNAMIC = 2, PT_INTERP = 3;

    [Fact]
    public void The_published_binary_has_no_interpreter_and_no_dynamic_section()
    {
        // ELF64, little-endian (x64 and arm64): the program headers say how the kernel loads it.
        var elf = File.ReadAllBytes(CorralBinary.Path);
        Assert.Equal("\u007fELF"u8.ToArray(), elf[..4]);
        var phoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x20));
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x36));
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x38));
        var types = Enumerable.Range(0, phnum).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(phoff + i * phentsize))).ToList();
        Assert.NotEmpty(types);
        Assert.DoesNotContain(PT_INTERP, types);
        // No dynamic section means no DT_NEEDED: no shared library is ever loaded.
        Assert.DoesNotContain(PT_DYNAMIC, types);
    }

    [Fact]
    public void Version_runs_in_a_root_without_a_C_library()
    {
        var r = BareRoot.Exec("--version");
        Assert.Equal(0, r.Code);
        Assert.StartsWith("corral ", r.Stdout);
    }

    [Fact]
    public void A_single_child_exit_code_comes_back_from_a_root_without_a_C_library()
    {
        var r = BareRoot.Exec("--", "sh", "-c", "exit 3");
        Assert.Equal(3, r.Code);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Exec_as_nobody_takes_uid_gid_groups_and_home_from_the_roots_passwd_and_group()
    {
        var r = BareRoot.Exec("exec", "--user", "nobody", "--", "sh", "-c", "id -u; id -g; id -G; echo $HOME");
        Assert.Equal(0, r.Code);
        var lines = r.Stdout.Split('\n');
        Assert.Equal(["65534", "65534"], lines[..2]);
        Assert.Equal(["50", "65534"], lines[2].Split(' ').Order());
        Assert.Equal("/nonexistent", lines[3]);
    }

    [Fact]
    public void Exec_with_a_group_name_from_the_roots_group_file_keeps_only_that_group()
    {
        var r = BareRoot.Exec("exec", "--user", "nobody:audio", "--", "sh", "-c", "id -u; id -g; id -G");
        Assert.Equal(0, r.Code);
        Assert.Equal(["65534", "29", "29"], r.Stdout.Split('\n'));
    }
}
