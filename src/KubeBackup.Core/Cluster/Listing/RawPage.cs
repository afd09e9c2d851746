using System.Buffers;
using System.Text.Json;
using KubeBackup.Core.Cluster.Discovery;

namespace KubeBackup.Core.Cluster.Listing;

/// <summary>
/// Cuts a list page into its objects without parsing them into trees: each item's bytes are copied with
/// <c>apiVersion</c> and <c>kind</c> spliced in first (list items lack them, custom resources may repeat them) and
/// <c>metadata.managedFields</c> cut out (a restore drops them, and they change with every apply, which would defeat
/// dedup of unchanged objects). The metadata a backup filters on is read on the way.
/// </summary>
internal static class RawPage
{
    /// <exception cref="JsonException">The page is not a list.</exception>
    public static (List<RawObject> Items, string? Continue) Split(ReadOnlySpan<byte> page, ApiResource resource)
    {
        var items = new List<RawObject>();
        var head = Head(resource);
        string? next = null;
        var reader = new Utf8JsonReader(page);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                if (Read(ref reader) == JsonTokenType.Null)
                {
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("items is not an array");
                }
                while (Read(ref reader) == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    items.Add(Item(page[start..(int)reader.BytesConsumed], resource, head));
                }
            }
            else if (reader.ValueTextEquals("metadata"u8) && Read(ref reader) == JsonTokenType.StartObject)
            {
                while (Read(ref reader) == JsonTokenType.PropertyName)
                {
                    var isContinue = reader.ValueTextEquals("continue"u8);
                    Read(ref reader);
                    if (isContinue && reader.TokenType == JsonTokenType.String)
                    {
                        next = reader.GetString();
                    }
                    reader.Skip();
                }
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }
        return (items, next);
    }

    /// <summary>One item (its bytes from '{' to '}') rewritten, with its metadata.</summary>
    internal static RawObject Item(ReadOnlySpan<byte> item, ApiResource resource, byte[] head)
    {
        var cuts = new List<(int Start, int End)>(3);
        string? ns = null;
        string? name = null;
        Dictionary<string, string>? labels = null;
        var deleting = false;
        var reader = new Utf8JsonReader(item);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            if (reader.ValueTextEquals("apiVersion"u8) || reader.ValueTextEquals("kind"u8))
            {
                Read(ref reader);
                reader.Skip();
                cuts.Add((start, (int)reader.BytesConsumed));
            }
            else if (reader.ValueTextEquals("metadata"u8) && Read(ref reader) == JsonTokenType.StartObject)
            {
                while (Read(ref reader) == JsonTokenType.PropertyName)
                {
                    var field = (int)reader.TokenStartIndex;
                    if (reader.ValueTextEquals("namespace"u8))
                    {
                        Read(ref reader);
                        ns = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("name"u8))
                    {
                        Read(ref reader);
                        name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("deletionTimestamp"u8))
                    {
                        deleting = Read(ref reader) != JsonTokenType.Null;
                        reader.Skip();
                    }
                    else if (reader.ValueTextEquals("labels"u8) && Read(ref reader) == JsonTokenType.StartObject)
                    {
                        labels = new Dictionary<string, string>(StringComparer.Ordinal);
                        while (Read(ref reader) == JsonTokenType.PropertyName)
                        {
                            var key = reader.GetString()!;
                            Read(ref reader);
                            labels[key] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : "";
                            reader.Skip();
                        }
                    }
                    else if (reader.ValueTextEquals("managedFields"u8))
                    {
                        Read(ref reader);
                        reader.Skip();
                        cuts.Add((field, (int)reader.BytesConsumed));
                    }
                    else
                    {
                        Read(ref reader);
                        reader.Skip();
                    }
                }
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }
        return new RawObject
        {
            Json = Rewrite(item, cuts, head),
            Namespace = resource.Namespaced ? ns : null,
            Name = name ?? "",
            Labels = labels,
            Deleting = deleting,
        };
    }

    /// <summary><c>{"apiVersion":"..","kind":".."</c>: how every object of the type starts.</summary>
    private static byte[] Head(ApiResource resource)
    {
        var output = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion"u8, resource.ApiVersion);
            writer.WriteString("kind"u8, resource.Kind);
            writer.WriteEndObject();
        }
        return output.WrittenSpan[..^1].ToArray();
    }

    /// <summary>
    /// The head, then the item's members without the cut ones (each cut takes its own comma: the one after it, or else
    /// the one before it), then <c>}</c>; one array, sized first.
    /// </summary>
    private static byte[] Rewrite(ReadOnlySpan<byte> item, List<(int Start, int End)> cuts, byte[] head)
    {
        var end = item.Length - 1; // the item's '}'
        var keeps = new List<(int Start, int End)>(cuts.Count + 1);
        var position = 1; // after the item's '{'
        foreach (var (start, stop) in cuts)
        {
            var from = start;
            var to = SkipSpace(item, stop);
            if (to < end && item[to] == (byte)',')
            {
                to++;
            }
            else
            {
                var before = from - 1;
                while (before >= position && IsSpace(item[before]))
                {
                    before--;
                }
                if (before >= position && item[before] == (byte)',')
                {
                    from = before;
                }
            }
            keeps.Add((position, from));
            position = to;
        }
        keeps.Add((position, end));
        // Leading and trailing blanks of the members go, so the result reads as compactly as the head.
        keeps.RemoveAll(k => k.End <= k.Start);
        while (keeps.Count > 0 && SkipSpace(item, keeps[0].Start) >= keeps[0].End)
        {
            keeps.RemoveAt(0);
        }
        if (keeps.Count > 0)
        {
            keeps[0] = (SkipSpace(item, keeps[0].Start), keeps[0].End);
            var last = keeps[^1];
            var lastEnd = last.End;
            while (lastEnd > last.Start && IsSpace(item[lastEnd - 1]))
            {
                lastEnd--;
            }
            keeps[^1] = (last.Start, lastEnd);
        }
        var length = head.Length + 1 + (keeps.Count > 0 ? 1 + keeps.Sum(k => k.End - k.Start) : 0);
        var json = new byte[length];
        head.CopyTo(json, 0);
        var at = head.Length;
        if (keeps.Count > 0)
        {
            json[at++] = (byte)',';
            foreach (var (start, stop) in keeps)
            {
                item[start..stop].CopyTo(json.AsSpan(at));
                at += stop - start;
            }
        }
        json[at] = (byte)'}';
        return json;
    }

    private static int SkipSpace(ReadOnlySpan<byte> json, int index)
    {
        while (index < json.Length && IsSpace(json[index]))
        {
            index++;
        }
        return index;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static JsonTokenType Read(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the list ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Read(ref reader) != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType}");
        }
    }
}
