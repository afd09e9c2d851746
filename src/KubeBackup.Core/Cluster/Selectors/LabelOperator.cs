namespace KubeBackup.Core.Cluster.Selectors;

/// <summary>The operators of a label requirement, as apimachinery's <c>selection.Operator</c>.</summary>
internal enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
