using System.Net.Http.Headers;
using Xunit;

namespace Vteam.Build.Tests.Rig;

[Collection(RigCollection.Name)]
public class RigSpecs(RegistryRig rig)
{
    [RigFact]
    public async Task The_base_image_is_in_the_registry_under_the_digest_the_push_reported()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(rig.Registry.BaseUri, "v2/base/manifests/1"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));

        using var response = await http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.StartsWith("sha256:", rig.BaseImageDigest);
        Assert.Equal(rig.BaseImageDigest, response.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [RigFact]
    public async Task The_base_image_runs_busybox()
    {
        var image = await rig.Docker.Images.InspectImageAsync(rig.BaseImage);
        Assert.Contains(rig.BaseImage, image.RepoTags);
    }
}
