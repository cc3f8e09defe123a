using System.Net.Sockets;
using Vteam.Build.Containers.Build;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class DockerEngineSpecs
{
    [Fact]
    public async Task An_engine_that_does_not_answer_gets_a_message_saying_how_to_start_one()
    {
        // A socket file nobody listens on: what a crashed dockerd leaves behind.
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "dead.sock");
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            socket.Bind(new UnixDomainSocketEndPoint(path));
        var host = $"unix://{path}";

        var error = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => DockerEngine.ConnectAsync(host));

        Assert.StartsWith($"The Docker engine at {host} does not answer (", error.Message);
        Assert.Contains("systemctl start docker", error.Message);
        Assert.Contains("DOCKER_HOST", error.Message);
    }

    [Fact]
    public async Task A_socket_that_is_not_there_is_named()
    {
        var error = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => DockerEngine.ConnectAsync("unix:///nonexistent/docker.sock"));

        Assert.StartsWith("The Docker engine at unix:///nonexistent/docker.sock does not answer (there is no socket at /nonexistent/docker.sock).", error.Message);
    }

    [Fact]
    public async Task A_DOCKER_HOST_that_is_no_address_is_refused()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DockerEngine.ConnectAsync("var/run/docker.sock"));

        Assert.Contains("DOCKER_HOST 'var/run/docker.sock' is not an engine address", error.Message);
    }
}
