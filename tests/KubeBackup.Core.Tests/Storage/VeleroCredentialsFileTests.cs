using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Storage;

public sealed class VeleroCredentialsFileTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void TheDefaultProfileIsRead()
    {
        var file = VeleroCredentialsFile.Parse("/creds", $"# velero\n[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key={Secret}\r\n");
        var keys = file.GetAccessKey(null);
        Assert.Equal("AKIAEXAMPLE", keys.AccessKeyId);
        Assert.Equal(Secret, keys.SecretAccessKey);
        Assert.Null(keys.SessionToken);
        Assert.Equal("/creds [default]", keys.Source);
    }

    [Fact]
    public void ANamedProfileWithASessionTokenIsRead()
    {
        var file = VeleroCredentialsFile.Parse("/creds", $"[default]\naws_access_key_id=A\naws_secret_access_key=B\n[profile backup]\naws_access_key_id=C\naws_secret_access_key={Secret}\naws_session_token=T0KEN-123456\n");
        var keys = file.GetAccessKey("backup");
        Assert.Equal("C", keys.AccessKeyId);
        Assert.Equal("T0KEN-123456", keys.SessionToken);
    }

    [Fact]
    public void AMissingProfileOrKeyNamesTheFileButNoValue()
    {
        var file = VeleroCredentialsFile.Parse("/creds", $"[default]\naws_secret_access_key={Secret}\n");
        var missingKey = Assert.Throws<KbException>(() => file.GetAccessKey(null));
        Assert.Equal(ErrorIds.StorageCredentialFileInvalid, missingKey.ErrorId);
        Assert.Contains("aws_access_key_id", missingKey.Message);
        Assert.DoesNotContain(Secret, missingKey.Message);
        Assert.Equal(ErrorIds.StorageCredentialFileInvalid, Assert.Throws<KbException>(() => file.GetAccessKey("other")).ErrorId);
    }

    [Fact]
    public void AMissingFileIsACredentialFileError()
    {
        var failure = Assert.Throws<KbException>(() => VeleroCredentialsFile.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
        Assert.Equal(ErrorIds.StorageCredentialFileInvalid, failure.ErrorId);
    }

    [Fact]
    public void AzureKeyValueLinesAreRead()
    {
        var file = VeleroCredentialsFile.Parse("/creds", "AZURE_STORAGE_ACCOUNT_ACCESS_KEY=abc==\nAZURE_CLOUD_NAME=AzurePublicCloud\n");
        Assert.Equal("abc==", file.Get("AZURE_STORAGE_ACCOUNT_ACCESS_KEY"));
        Assert.Null(file.Get("AZURE_CLIENT_SECRET"));
    }

    [Fact]
    public void NeitherTheFileNorTheKeysPrintSecrets()
    {
        var file = VeleroCredentialsFile.Parse("/creds", $"[default]\naws_access_key_id=AKIAEXAMPLE\naws_secret_access_key={Secret}\n");
        var keys = file.GetAccessKey(null);
        Assert.DoesNotContain(Secret, file.ToString());
        Assert.DoesNotContain(Secret, keys.ToString());
        Assert.DoesNotContain("AKIAEXAMPLE", keys.ToString());
        Assert.Equal("denied for *** with ***", keys.Scrub($"denied for AKIAEXAMPLE with {Secret}"));
    }
}
