using KubeBackup.Core.Backup.Hooks;

namespace KubeBackup.Core.Tests.Backup.Hooks;

/// <summary>How hook command annotations are read, as Velero reads them.</summary>
public sealed class AnnotationHooksTests
{
    [Theory]
    [InlineData("""["/bin/bash","-c","echo hi"]""", new[] { "/bin/bash", "-c", "echo hi" })]
    [InlineData("""[ "sync" ]""", new[] { "sync" })]
    [InlineData("/sbin/fsfreeze --freeze /var/lib/mysql", new[] { "/sbin/fsfreeze --freeze /var/lib/mysql" })]
    [InlineData("""["unterminated""", new[] { """["unterminated""" })]
    [InlineData("""[1, 2]""", new[] { """[1, 2]""" })]
    [InlineData("[]", new string[0])]
    public void ACommandIsAJsonArrayOrOneArgument(string annotation, string[] command) =>
        Assert.Equal(command, AnnotationHooks.ParseCommand(annotation));
}
