using KubeBackup.Core.Backup.Hooks;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroBackupHookTests
{
    [Fact]
    public void VeleroDefaultsApply()
    {
        var hook = Assert.Single(VeleroBackupSpecTests.Spec("hooks: { resources: [{ name: h, pre: [{ exec: { command: [sync] } }] }] }").Hooks);
        var exec = Assert.Single(hook.Pre);
        Assert.Null(exec.Container);
        Assert.Equal(HookErrorMode.Fail, exec.OnError);
        Assert.Equal(TimeSpan.FromSeconds(30), exec.Timeout);
        Assert.Empty(hook.Post);
        Assert.Empty(hook.IncludedNamespaces);
        Assert.Null(hook.LabelSelector);
    }

    [Theory]
    [InlineData("0", 30)]
    [InlineData("0s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1m30s", 90)]
    public void TimeoutsAreGoDurationsAndZeroMeansTheDefault(string timeout, int seconds)
    {
        var hook = Assert.Single(VeleroBackupSpecTests.Spec($"hooks: {{ resources: [{{ name: h, post: [{{ exec: {{ command: [sync], timeout: {timeout} }} }}] }}] }}").Hooks);
        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.Single(hook.Post).Timeout);
    }

    [Fact]
    public void ASingleStringCommandIsOneElement()
    {
        var hook = Assert.Single(VeleroBackupSpecTests.Spec("hooks: { resources: [{ name: h, pre: [{ exec: { command: \"/sbin/fsfreeze --freeze /data\" } }] }] }").Hooks);
        Assert.Equal(["/sbin/fsfreeze --freeze /data"], Assert.Single(hook.Pre).Command);
    }

    [Fact]
    public void SeveralHooksKeepTheirOrderAndFilters()
    {
        var spec = VeleroBackupSpecTests.Spec("""
            hooks:
              resources:
                - name: freeze
                  excludedNamespaces: [kube-system]
                  labelSelector:
                    matchExpressions: [{ key: fs, operator: In, values: [xfs, ext4] }]
                  pre:
                    - exec: { container: app, command: [fsfreeze, --freeze, /data], timeout: 10s }
                    - exec: { container: app, command: [sync], onError: Continue }
                  post:
                    - exec: { container: app, command: [fsfreeze, --unfreeze, /data] }
                - name: second
                  includedNamespaces: [db]
                  post: [{ exec: { command: [true] } }]
            """);
        Assert.Equal(["freeze", "second"], spec.Hooks.Select(h => h.Name));
        var freeze = spec.Hooks[0];
        Assert.Equal(["kube-system"], freeze.ExcludedNamespaces);
        Assert.Equal("fs in (xfs,ext4)", freeze.LabelSelector);
        Assert.Equal([["fsfreeze", "--freeze", "/data"], ["sync"]], freeze.Pre.Select(e => e.Command));
        Assert.Equal(TimeSpan.FromSeconds(10), freeze.Pre[0].Timeout);
        Assert.Equal(HookErrorMode.Continue, freeze.Pre[1].OnError);
        Assert.Equal("app", Assert.Single(freeze.Post).Container);
        Assert.Equal(["db"], spec.Hooks[1].IncludedNamespaces);
        Assert.Equal(["true"], Assert.Single(spec.Hooks[1].Post).Command);
    }

    [Fact]
    public void AnAnchoredSelectorIsSharedByTheHook()
    {
        var spec = VeleroBackupSpecTests.Spec("""
            labelSelector: &mysql
              matchLabels: { app: mysql }
            hooks:
              resources:
                - name: lock
                  labelSelector: *mysql
                  pre: [{ exec: { command: [sync] } }]
            """);
        Assert.Equal("app=mysql", spec.LabelSelector);
        Assert.Equal("app=mysql", Assert.Single(spec.Hooks).LabelSelector);
    }

    [Fact]
    public void EmptyHooksAreNoHooks()
    {
        Assert.Empty(VeleroBackupSpecTests.Spec("hooks: {}").Hooks);
        Assert.Empty(VeleroBackupSpecTests.Spec("hooks: { resources: [] }").Hooks);
        Assert.Empty(VeleroBackupSpecTests.Spec("hooks:").Hooks);
    }
}
