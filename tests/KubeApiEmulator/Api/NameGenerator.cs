namespace KubeApiEmulator.Api;

/// <summary>generateName suffixes: five characters from the apiserver's alphabet without vowels and look-alikes.</summary>
public static class NameGenerator
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Generate(string prefix)
    {
        if (prefix.Length > 58)
            prefix = prefix[..58];
        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < suffix.Length; i++)
            suffix[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        return prefix + new string(suffix);
    }
}
