namespace KubeBackup.Core.Failover;

/// <summary>A disaster recovery tier of the seed's table 7.2: its recovery point and recovery time objectives.</summary>
public sealed record DrTier(string Name, string Title, TimeSpan Rpo, TimeSpan Rto)
{
    /// <summary>Tier-1 hot standby (RPO 0, RTO &lt; 15 min) to Tier-4 backup only (RPO &lt; 24 h, RTO &lt; 1 d).</summary>
    public static readonly IReadOnlyList<DrTier> All =
    [
        new("Tier-1", "Hot standby", TimeSpan.Zero, TimeSpan.FromMinutes(15)),
        new("Tier-2", "Warm standby", TimeSpan.FromHours(1), TimeSpan.FromHours(1)),
        new("Tier-3", "Cold standby", TimeSpan.FromHours(24), TimeSpan.FromHours(4)),
        new("Tier-4", "Backup only", TimeSpan.FromHours(24), TimeSpan.FromDays(1)),
    ];

    /// <summary>The tier named <c>Tier-2</c> (also <c>Tier2</c> or <c>2</c>), or null.</summary>
    public static DrTier? Find(string name)
    {
        var digits = name.Trim().Replace("-", "", StringComparison.Ordinal);
        digits = digits.StartsWith("tier", StringComparison.OrdinalIgnoreCase) ? digits[4..] : digits;
        return All.FirstOrDefault(t => t.Name.EndsWith("-" + digits, StringComparison.Ordinal));
    }

    /// <summary>RPO 0 is met only by no data loss; the others are upper bounds (the table's "&lt; 1h").</summary>
    public bool RpoMet(TimeSpan rpo) => Rpo == TimeSpan.Zero ? rpo <= TimeSpan.Zero : rpo < Rpo;

    public bool RtoMet(TimeSpan rto) => rto < Rto;

    public override string ToString() => $"{Name} ({Title})";
}
