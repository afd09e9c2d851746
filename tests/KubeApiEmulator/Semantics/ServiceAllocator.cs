using System.Net;
using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Semantics;

/// <summary>
/// Allocates Service cluster IPs from the service CIDR and node ports from 30000-32767, like the apiserver's
/// allocators. What is in use follows the stored services; a reservation covers the time until the write lands.
/// </summary>
public sealed class ServiceAllocator
{
    public const string ServiceKey = "/services";

    private readonly object _gate = new();
    private readonly Dictionary<(string Ns, string Name), (uint? Ip, int[] Ports)> _inUse = new();
    private readonly HashSet<uint> _ips = [];
    private readonly HashSet<int> _ports = [];
    private readonly HashSet<uint> _reservedIps = [];
    private readonly HashSet<int> _reservedPorts = [];
    private readonly uint _network;
    private readonly uint _size;
    private readonly string _cidr;
    private uint _nextIp = 1;
    private int _nextPort = 30000;

    public ServiceAllocator(string cidr = "10.96.0.0/12")
    {
        _cidr = cidr;
        var parts = cidr.Split('/');
        _network = ToUint(IPAddress.Parse(parts[0]));
        _size = 1u << (32 - int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Tracks stored services; called by the store under its lock.</summary>
    public void Observe(WatchEvent e)
    {
        if (e.StorageKey != ServiceKey)
            return;
        lock (_gate)
        {
            var key = (e.Object.Namespace, e.Object.Name);
            if (_inUse.Remove(key, out var previous))
            {
                if (previous.Ip is { } ip)
                    _ips.Remove(ip);
                foreach (var p in previous.Ports)
                    _ports.Remove(p);
            }
            if (e.Type == WatchEventType.Deleted)
                return;
            var node = e.Object.ToNode();
            uint? address = IPAddress.TryParse(node.Text("spec.clusterIP") ?? "", out var parsed) ? ToUint(parsed) : null;
            var ports = (node.At("spec.ports") as JsonArray ?? []).Select(p => (int)(p.Long("nodePort") ?? 0)).Where(p => p > 0).ToArray();
            _inUse[key] = (address, ports);
            if (address is { } a)
                _ips.Add(a);
            foreach (var p in ports)
                _ports.Add(p);
        }
    }

    /// <summary>Assigns clusterIP(s) and node ports on create; the returned reservation is released after the write.</summary>
    public IDisposable Allocate(ResourceDefinition def, JsonObject service, JsonObject? previous)
    {
        var reservation = new Reservation(this);
        var spec = service.Child("spec");
        var type = spec.Text("type") ?? "ClusterIP";
        var name = service.Text("metadata.name") ?? "";
        lock (_gate)
        {
            if (type != "ExternalName")
            {
                var requested = spec.Text("clusterIP");
                var old = previous?.Text("spec.clusterIP");
                if (string.IsNullOrEmpty(requested) && !string.IsNullOrEmpty(old))
                    spec["clusterIP"] = old;
                else if (previous is not null && !string.IsNullOrEmpty(old) && requested != old)
                    throw ApiException.Invalid(def, name, [FieldError.Immutable("spec.clusterIP", $"\"{requested}\"")]);
                else if (previous is null && requested != "None")
                    spec["clusterIP"] = AllocateIp(def, name, requested, reservation);
                spec["clusterIPs"] = new JsonArray(spec.Text("clusterIP"));
                spec.SetDefault("ipFamilies", new JsonArray("IPv4"));
                spec.SetDefault("ipFamilyPolicy", "SingleStack");
            }
            if (type is "NodePort" or "LoadBalancer" && spec["ports"] is JsonArray ports)
            {
                var previousPorts = (previous?.At("spec.ports") as JsonArray ?? []).OfType<JsonObject>().ToList();
                for (var i = 0; i < ports.Count; i++)
                {
                    if (ports[i] is not JsonObject port)
                        continue;
                    var requestedPort = (int)(port.Long("nodePort") ?? 0);
                    var kept = previousPorts.FirstOrDefault(p => p.Long("port") == port.Long("port"))?.Long("nodePort");
                    if (requestedPort == 0 && kept is { } k)
                        port["nodePort"] = k;
                    else if (requestedPort == 0 || kept != requestedPort)
                        port["nodePort"] = AllocatePort(def, name, i, requestedPort, reservation);
                }
            }
        }
        return reservation;
    }

    private string AllocateIp(ResourceDefinition def, string name, string? requested, Reservation reservation)
    {
        uint ip;
        if (!string.IsNullOrEmpty(requested))
        {
            if (!IPAddress.TryParse(requested, out var parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                throw Invalid(def, name, "spec.clusterIPs[0]", requested, "must be a valid IP address");
            ip = ToUint(parsed);
            if (ip - _network >= _size || ip == _network)
                throw Invalid(def, name, "spec.clusterIPs", requested,
                    $"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is {_cidr}");
            if (_ips.Contains(ip) || _reservedIps.Contains(ip))
                throw Invalid(def, name, "spec.clusterIPs", requested, $"failed to allocate IP {requested}: provided IP is already allocated");
        }
        else
        {
            var tries = 0u;
            do
            {
                ip = _network + _nextIp;
                _nextIp = _nextIp + 1 >= _size - 1 ? 1 : _nextIp + 1;
                if (++tries >= _size)
                    throw ApiException.Internal("failed to allocate a serviceIP: range is full");
            }
            while (_ips.Contains(ip) || _reservedIps.Contains(ip));
        }
        _reservedIps.Add(ip);
        reservation.Ips.Add(ip);
        return ToAddress(ip).ToString();
    }

    private int AllocatePort(ResourceDefinition def, string name, int index, int requested, Reservation reservation)
    {
        int port;
        if (requested != 0)
        {
            if (requested is < 30000 or > 32767)
                throw ApiException.Invalid(def, name, [FieldError.Invalid($"spec.ports[{index}].nodePort", requested.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "provided port is not in the valid range. The range of valid ports is 30000-32767") with { Detail = $"Invalid value: {requested}: provided port is not in the valid range. The range of valid ports is 30000-32767" }]);
            if (_ports.Contains(requested) || _reservedPorts.Contains(requested))
                throw ApiException.Invalid(def, name, [new FieldError($"spec.ports[{index}].nodePort", "FieldValueInvalid", $"Invalid value: {requested}: provided port is already allocated")]);
            port = requested;
        }
        else
        {
            var tries = 0;
            do
            {
                port = _nextPort;
                _nextPort = _nextPort >= 32767 ? 30000 : _nextPort + 1;
                if (++tries > 2768)
                    throw ApiException.Internal("failed to allocate a nodePort: range is full");
            }
            while (_ports.Contains(port) || _reservedPorts.Contains(port));
        }
        _reservedPorts.Add(port);
        reservation.Ports.Add(port);
        return port;
    }

    private static ApiException Invalid(ResourceDefinition def, string name, string field, string value, string detail) =>
        ApiException.Invalid(def, name, [new FieldError(field, "FieldValueInvalid", $"Invalid value: []string{{\"{value}\"}}: {detail}")]);

    private static uint ToUint(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return b.Length == 4 ? (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) : 0;
    }

    private static IPAddress ToAddress(uint v) =>
        new([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);

    private sealed class Reservation(ServiceAllocator owner) : IDisposable
    {
        public List<uint> Ips { get; } = [];
        public List<int> Ports { get; } = [];

        public void Dispose()
        {
            lock (owner._gate)
            {
                foreach (var ip in Ips)
                    owner._reservedIps.Remove(ip);
                foreach (var p in Ports)
                    owner._reservedPorts.Remove(p);
            }
        }
    }
}
