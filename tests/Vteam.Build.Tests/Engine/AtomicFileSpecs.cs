using Vteam.Build.Engine;
using Xunit;

namespace Vteam.Build.Tests.Engine;

public class AtomicFileSpecs
{
    [Fact]
    public void I_can_replace_a_file_and_no_temporary_file_is_left_behind()
    {
        var directory = Directory.CreateTempSubdirectory("atomic-").FullName;
        var path = Path.Combine(directory, "a.txt");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(directory));
    }

    [Fact]
    public async Task A_writer_that_fails_leaves_the_old_content()
    {
        var directory = Directory.CreateTempSubdirectory("atomic-").FullName;
        var path = Path.Combine(directory, "a.txt");
        File.WriteAllText(path, "old");

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(path, async s =>
        {
            await s.WriteAsync("half"u8.ToArray());
            throw new IOException("disk gone");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(directory));
    }
}
