using System.Management.Automation;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Infrastructure;

/// <summary>
/// Lets -StorageLocation take a saved location's name, a URL (s3://, oss://, azblob://, file://) or a
/// location object from the pipeline (Get-KbStorageLocation | Test-KbStorageLocation).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class StorageLocationTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is StorageLocation location)
        {
            return location;
        }
        if (value is string text)
        {
            try
            {
                return StorageLocationResolver.Resolve(text, new StorageLocationCatalog(UserPaths.FromEnvironment()));
            }
            catch (KbException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }
        return inputData;
    }
}
