using System.Text;
using k8s;
using k8s.Models;

namespace KubeApiEmulator.Tests;

/// <summary>stringData is write-only on a real server: merged into data (base64) on create and update, never stored.</summary>
public sealed class SecretDataTests
{
    [Fact]
    public async Task StringData_is_merged_into_data_over_the_same_key_and_not_stored()
    {
        await using var c = await TestCluster.StartAsync();
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "default" },
            Data = new Dictionary<string, byte[]> { ["user"] = Encoding.UTF8.GetBytes("old"), ["host"] = Encoding.UTF8.GetBytes("db") },
            StringData = new Dictionary<string, string> { ["user"] = "admin", ["password"] = "s3cret" },
        };

        var created = await c.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");
        var read = await c.Client.CoreV1.ReadNamespacedSecretAsync("db", "default");

        foreach (var s in new[] { created, read })
        {
            Assert.Null(s.StringData);
            Assert.Equal("admin", Encoding.UTF8.GetString(s.Data["user"]));
            Assert.Equal("s3cret", Encoding.UTF8.GetString(s.Data["password"]));
            Assert.Equal("db", Encoding.UTF8.GetString(s.Data["host"]));
        }

        read.StringData = new Dictionary<string, string> { ["password"] = "rotated" };
        var updated = await c.Client.CoreV1.ReplaceNamespacedSecretAsync(read, "db", "default");
        Assert.Null(updated.StringData);
        Assert.Equal("rotated", Encoding.UTF8.GetString(updated.Data["password"]));
    }
}
