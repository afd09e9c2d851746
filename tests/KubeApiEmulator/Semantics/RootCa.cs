using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeApiEmulator.Semantics;

/// <summary>The emulated cluster's CA certificate (self-signed, made once per process), published as kube-root-ca.crt.</summary>
public static class RootCa
{
    private static readonly Lazy<string> Certificate = new(Create);

    public static string Pem => Certificate.Value;

    private static string Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        return cert.ExportCertificatePem() + "\n";
    }
}
