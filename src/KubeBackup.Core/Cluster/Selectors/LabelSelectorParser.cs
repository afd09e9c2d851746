using System.Globalization;

namespace KubeBackup.Core.Cluster.Selectors;

/// <summary>
/// Reads label selector text with apimachinery's grammar (<c>labels.Parse</c>): requirements separated by commas, each
/// <c>key</c>, <c>!key</c>, <c>key=v</c>, <c>key==v</c>, <c>key!=v</c>, <c>key in (a,b)</c>, <c>key notin (a)</c>,
/// <c>key&gt;n</c> or <c>key&lt;n</c>; blanks between tokens are ignored. A problem is reported with its position.
/// </summary>
internal sealed class LabelSelectorParser
{
    private readonly List<Token> tokens;
    private int next;

    private LabelSelectorParser(string text)
    {
        tokens = Tokenize(text);
    }

    private enum Kind
    {
        Identifier,
        Not,
        Equals,
        DoubleEquals,
        NotEquals,
        GreaterThan,
        LessThan,
        In,
        NotIn,
        OpenParen,
        CloseParen,
        Comma,
        End,
    }

    /// <summary>The requirements in text order, or the problem and its 1-based character position.</summary>
    public static (List<LabelRequirement>? Requirements, string? Problem) Parse(string text)
    {
        try
        {
            return (new LabelSelectorParser(text).ParseAll(), null);
        }
        catch (SyntaxProblem problem)
        {
            return (null, problem.Message);
        }
    }

    private List<LabelRequirement> ParseAll()
    {
        var requirements = new List<LabelRequirement>();
        if (Peek().Kind == Kind.End)
        {
            return requirements;
        }

        while (true)
        {
            var start = Peek();
            if (start.Kind is not (Kind.Identifier or Kind.Not))
            {
                throw Unexpected(start, requirements.Count == 0 ? "a label key or '!'" : "a label key or '!' after ','");
            }

            requirements.Add(ParseRequirement());
            var after = Take();
            if (after.Kind == Kind.End)
            {
                return requirements;
            }

            if (after.Kind != Kind.Comma)
            {
                throw Unexpected(after, "',' or the end of the selector");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var negated = Peek().Kind == Kind.Not;
        if (negated)
        {
            Take();
        }

        var keyToken = Take();
        if (keyToken.Kind != Kind.Identifier)
        {
            throw Unexpected(keyToken, "a label key");
        }

        var key = keyToken.Text;
        if (LabelSyntax.KeyProblem(key) is { } keyProblem)
        {
            throw new SyntaxProblem(keyProblem, keyToken.Position);
        }

        if (negated || Peek().Kind is Kind.Comma or Kind.End)
        {
            return new(key, negated ? LabelOperator.DoesNotExist : LabelOperator.Exists, []);
        }

        var operatorToken = Take();
        var op = operatorToken.Kind switch
        {
            Kind.Equals or Kind.DoubleEquals => LabelOperator.Equals,
            Kind.NotEquals => LabelOperator.NotEquals,
            Kind.GreaterThan => LabelOperator.GreaterThan,
            Kind.LessThan => LabelOperator.LessThan,
            Kind.In => LabelOperator.In,
            Kind.NotIn => LabelOperator.NotIn,
            _ => throw Unexpected(operatorToken, $"an operator after '{key}' (=, ==, !=, in, notin), or ',' or the end"),
        };

        var values = op is LabelOperator.In or LabelOperator.NotIn ? ParseValueSet() : [ParseSingleValue(op)];
        return new(key, op, [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private string ParseSingleValue(LabelOperator op)
    {
        var token = Peek();

        // "key=" selects the empty value, as in Kubernetes.
        if (token.Kind is Kind.Comma or Kind.End && op is LabelOperator.Equals or LabelOperator.NotEquals)
        {
            return "";
        }

        Take();
        if (AsValue(token) is not { } value)
        {
            throw Unexpected(token, "a value");
        }

        if (op is LabelOperator.GreaterThan or LabelOperator.LessThan
            && !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new SyntaxProblem($"the value '{value}' of a '>' or '<' comparison is not an integer", token.Position);
        }

        return CheckedValue(value, token);
    }

    private List<string> ParseValueSet()
    {
        var open = Take();
        if (open.Kind != Kind.OpenParen)
        {
            throw Unexpected(open, "'(' to start the list of values");
        }

        // Empty entries ("(a,)", "()") stand for the empty value, as in apimachinery.
        var values = new List<string>();
        var expectValue = true;
        while (true)
        {
            var token = Take();
            switch (token.Kind)
            {
                case Kind.CloseParen:
                    if (expectValue)
                    {
                        values.Add("");
                    }

                    return values;
                case Kind.Comma:
                    if (expectValue)
                    {
                        values.Add("");
                    }

                    expectValue = true;
                    break;
                default:
                    if (!expectValue || AsValue(token) is not { } value)
                    {
                        throw Unexpected(token, expectValue ? "a value, ',' or ')'" : "',' or ')'");
                    }

                    values.Add(CheckedValue(value, token));
                    expectValue = false;
                    break;
            }
        }
    }

    private static string CheckedValue(string value, Token token) =>
        LabelSyntax.ValueProblem(value) is { } problem ? throw new SyntaxProblem(problem, token.Position) : value;

    // After an operator, "in" and "notin" are plain values (apimachinery reads them in its Values mode).
    private static string? AsValue(Token token) => token.Kind is Kind.Identifier or Kind.In or Kind.NotIn ? token.Text : null;

    private Token Peek() => tokens[next];

    private Token Take() => tokens[next < tokens.Count - 1 ? next++ : next];

    private static SyntaxProblem Unexpected(Token token, string expected) =>
        new(token.Kind == Kind.End ? $"the selector ends where {expected} was expected" : $"found '{token.Text}' where {expected} was expected", token.Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var position = i + 1;
            var twoChars = i + 1 < text.Length ? text.Substring(i, 2) : null;
            if (twoChars is "==" or "!=")
            {
                tokens.Add(new(twoChars == "==" ? Kind.DoubleEquals : Kind.NotEquals, twoChars, position));
                i += 2;
                continue;
            }

            Kind? symbol = c switch
            {
                '!' => Kind.Not,
                '=' => Kind.Equals,
                '>' => Kind.GreaterThan,
                '<' => Kind.LessThan,
                '(' => Kind.OpenParen,
                ')' => Kind.CloseParen,
                ',' => Kind.Comma,
                _ => null,
            };
            if (symbol is { } kind)
            {
                tokens.Add(new(kind, c.ToString(), position));
                i++;
                continue;
            }

            var end = i;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && "!=><(),".IndexOf(text[end], StringComparison.Ordinal) < 0)
            {
                end++;
            }

            var word = text[i..end];
            tokens.Add(new(word switch { "in" => Kind.In, "notin" => Kind.NotIn, _ => Kind.Identifier }, word, position));
            i = end;
        }

        tokens.Add(new(Kind.End, "", text.Length + 1));
        return tokens;
    }

    private sealed record Token(Kind Kind, string Text, int Position);

    private sealed class SyntaxProblem(string problem, int position)
        : Exception($"{problem} (at character {position})");
}
