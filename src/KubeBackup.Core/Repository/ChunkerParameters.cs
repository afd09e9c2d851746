using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>The content-defined chunking sizes, stored in <c>kubebackup.json</c> so every writer of a repository cuts alike.</summary>
public sealed record ChunkerParameters(int MinSize, int AverageSize, int MaxSize)
{
    public const string AlgorithmName = "fastcdc-gear-v1";

    public static ChunkerParameters Default { get; } = new(512 * 1024, 1024 * 1024, 8 * 1024 * 1024);

    internal void Validate(string target)
    {
        if (MinSize < 64 || !int.IsPow2(AverageSize) || AverageSize <= MinSize || MaxSize <= AverageSize || MaxSize > BlobCodec.MaxPlaintextSize)
        {
            throw new KbException(ErrorIds.RepositoryConfigInvalid, KbErrorCategory.InvalidData, target,
                $"The chunker sizes {MinSize}/{AverageSize}/{MaxSize} are not valid: min < average (a power of two) < max <= {BlobCodec.MaxPlaintextSize}.");
        }
    }
}
