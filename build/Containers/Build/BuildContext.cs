using System.Formats.Tar;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;

namespace Vteam.Build.Containers.Build;

/// <summary>One file, directory or link that goes into a build context, by its name in the tar; <see cref="Content"/> for one the build made.</summary>
public sealed record ContextEntry(string Name, string FullPath, TarEntryType Type, byte[]? Content = null);

/// <summary>
/// A build context directory filtered by its .dockerignore, walked the way the Docker CLI walks it, and
/// written as a tar that is streamed to the engine while it is produced, never held whole in memory.
/// </summary>
public sealed class BuildContext
{
    /// <param name="dockerfileContent">
    /// A Dockerfile the build derived (e.g. with its labels in one LABEL step). Like a Dockerfile from outside
    /// the context, it travels as <c>.dockerfile.&lt;hash&gt;</c>, and the .dockerignore sent lists that name and
    /// itself so that the engine drops both after reading them (what the CLI does for <c>-f -</c>).
    /// </param>
    public BuildContext(string directory, string dockerfile, DockerIgnore? ignore = null, string? dockerfileContent = null)
    {
        Directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(Directory))
            throw new DirectoryNotFoundException($"The build context {Directory} does not exist. Create it or fix 'context' in the component's component.yaml.");
        DockerfilePath = Path.GetFullPath(dockerfile);
        var relative = Path.GetRelativePath(Directory, DockerfilePath).Replace('\\', '/');
        DockerfileOutside = relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative);
        if (dockerfileContent is not null || DockerfileOutside)
        {
            _dockerfile = Encoding.UTF8.GetBytes(dockerfileContent ?? File.ReadAllText(DockerfilePath));
            DockerfileName = ".dockerfile." + Convert.ToHexStringLower(SHA256.HashData(_dockerfile))[..20];
            var ignoreFile = Path.Combine(Directory, ".dockerignore");
            var original = File.Exists(ignoreFile) ? File.ReadAllText(ignoreFile) : "";
            _dockerignore = Encoding.UTF8.GetBytes(original + (original.Length == 0 || original.EndsWith('\n') ? "" : "\n") + $"{DockerfileName}\n.dockerignore\n");
        }
        else DockerfileName = relative;
        Ignore = (ignore ?? DockerIgnore.Load(Path.Combine(Directory, ".dockerignore")))
            .Keeping(_dockerfile is null ? [".dockerignore", DockerfileName] : [".dockerignore"]);
    }

    private readonly byte[]? _dockerfile;
    private readonly byte[]? _dockerignore;

    public string Directory { get; }
    public string DockerfilePath { get; }
    /// <summary>The Dockerfile's name inside the context, as the engine's <c>dockerfile</c> parameter wants it.</summary>
    public string DockerfileName { get; }
    public bool DockerfileOutside { get; }
    public DockerIgnore Ignore { get; }

    /// <summary>What goes into the tar, parents before children, in a stable order.</summary>
    public IEnumerable<ContextEntry> Entries()
    {
        var pending = new Stack<string>();
        pending.Push(Directory);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            var children = new DirectoryInfo(directory).EnumerateFileSystemInfos()
                .OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
            var subdirectories = new List<string>();
            foreach (var info in children)
            {
                var name = Path.GetRelativePath(Directory, info.FullName).Replace('\\', '/');
                var isLink = info.LinkTarget is not null;
                var isDirectory = !isLink && info is DirectoryInfo;
                if (Ignore.Excludes(name))
                {
                    // An excluded directory is entered (without its own entry) only when an exception may apply below it.
                    if (isDirectory && !Ignore.CanSkipExcludedDirectory(name)) subdirectories.Add(info.FullName);
                    continue;
                }
                if (name == ".dockerignore" && _dockerignore is not null) continue; // the derived one is sent instead
                if (isLink) yield return new ContextEntry(name, info.FullName, TarEntryType.SymbolicLink);
                else if (isDirectory)
                {
                    yield return new ContextEntry(name, info.FullName, TarEntryType.Directory);
                    subdirectories.Add(info.FullName);
                }
                else if (info is FileInfo) yield return new ContextEntry(name, info.FullName, TarEntryType.RegularFile);
            }
            for (var i = subdirectories.Count - 1; i >= 0; i--) pending.Push(subdirectories[i]);
        }
        if (_dockerfile is not null)
        {
            yield return new ContextEntry(".dockerignore", Path.Combine(Directory, ".dockerignore"), TarEntryType.RegularFile, _dockerignore);
            yield return new ContextEntry(DockerfileName, DockerfilePath, TarEntryType.RegularFile, _dockerfile);
        }
    }

    /// <summary>Writes the context as a tar (owner root, modes and times kept, like the CLI's).</summary>
    public async Task WriteTarAsync(Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var item in Entries())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = new PaxTarEntry(item.Type, item.Type == TarEntryType.Directory ? item.Name + "/" : item.Name)
            {
                Uid = 0,
                Gid = 0,
                // A made file gets a fixed time so that its entry is the same from one build to the next.
                ModificationTime = item.Content is null ? File.GetLastWriteTimeUtc(item.FullPath) : DateTimeOffset.UnixEpoch,
            };
            if (item.Content is not null || OperatingSystem.IsWindows())
                entry.Mode = item.Type == TarEntryType.Directory ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100;
            else entry.Mode = File.GetUnixFileMode(item.FullPath);
            if (item.Content is not null)
            {
                entry.DataStream = new MemoryStream(item.Content, writable: false);
                await writer.WriteEntryAsync(entry, cancellationToken);
                continue;
            }
            switch (item.Type)
            {
                case TarEntryType.SymbolicLink:
                    entry.LinkName = new FileInfo(item.FullPath).LinkTarget!;
                    await writer.WriteEntryAsync(entry, cancellationToken);
                    break;
                case TarEntryType.RegularFile:
                    await using (var data = new FileStream(item.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
                    {
                        entry.DataStream = data;
                        await writer.WriteEntryAsync(entry, cancellationToken);
                    }
                    break;
                default:
                    await writer.WriteEntryAsync(entry, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>
    /// Starts writing the tar into a bounded pipe and returns the reading end; memory stays at the pipe's
    /// threshold whatever the context's size. Dispose the result to stop the producer.
    /// </summary>
    public StreamedContext Stream(CancellationToken cancellationToken = default)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
        var producer = Task.Run(async () =>
        {
            try
            {
                await using (var sink = pipe.Writer.AsStream(leaveOpen: true))
                    await WriteTarAsync(sink, cancellationToken);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }, cancellationToken);
        return new StreamedContext(pipe.Reader, producer);
    }
}

/// <summary>The reading end of a context being written; <see cref="Completion"/> carries the writer's failure.</summary>
public sealed class StreamedContext : IAsyncDisposable
{
    private readonly PipeReader _reader;

    internal StreamedContext(PipeReader reader, Task producer)
    {
        _reader = reader;
        Content = reader.AsStream(leaveOpen: true);
        Completion = producer;
    }

    public Stream Content { get; }
    public Task Completion { get; }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        try { await Completion; }
        catch { /* the writer's failure was observed through Completion by whoever cared */ }
    }
}
