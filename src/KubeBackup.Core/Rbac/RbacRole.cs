namespace KubeBackup.Core.Rbac;

/// <summary>
/// A job a service account can be given: its name (the -Role value), the name of the RBAC objects made for it,
/// and its rules. A new role is one more instance here and one more table in <see cref="RbacRules"/>.
/// </summary>
public sealed class RbacRole
{
    private RbacRole(string name, IReadOnlyList<RbacRule> rules)
    {
        Name = name;
        Rules = rules;
    }

    public static RbacRole Snapshot { get; } = new("Snapshot", RbacRules.Snapshot);

    public static RbacRole Backup { get; } = new("Backup", RbacRules.Backup);

    public static RbacRole Failover { get; } = new("Failover", RbacRules.Failover);

    /// <summary>Every role, in the order -Role lists them.</summary>
    public static IReadOnlyList<RbacRole> All { get; } = [Snapshot, Backup, Failover];

    /// <summary>As -Role takes it: <c>Snapshot</c>, <c>Backup</c>, <c>Failover</c>.</summary>
    public string Name { get; }

    /// <summary>The value of the <c>app.kubernetes.io/component</c> label: the name in lower case.</summary>
    public string Component => Name.ToLowerInvariant();

    /// <summary>The name of the (Cluster)Role and its binding: <c>kubebackup-snapshot</c>.</summary>
    public string ObjectName => "kubebackup-" + Component;

    public IReadOnlyList<RbacRule> Rules { get; }

    /// <summary>The role named <paramref name="name"/> (any case), or null.</summary>
    public static RbacRole? Find(string name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Name;
}
