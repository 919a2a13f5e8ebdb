using System.Text.RegularExpressions;

namespace DeviceCommands.TestSupport;

/// <summary>
/// Which requests a scripted step answers, in MockHttp's vocabulary: a method and a path (exact, or with <c>*</c>
/// wildcards), then <c>With...</c> conditions (query, header, content, any predicate). Immutable: each
/// <c>With...</c> returns a new matcher that also requires its condition. Used by <see cref="RawHttpServer"/> and
/// <see cref="ScriptedHandler"/> alike.
/// </summary>
public sealed class RequestMatcher
{
    private readonly Func<StepRequest, bool>[] _conditions;
    private readonly string _description;

    private RequestMatcher(string description, Func<StepRequest, bool>[] conditions)
    {
        _description = description;
        _conditions = conditions;
    }

    /// <summary>Every request.</summary>
    public static RequestMatcher Any { get; } = new("any request", []);

    /// <summary>Requests with this method and, when given, a path matching <paramref name="path"/> (see <see cref="WithPath"/>).</summary>
    public static RequestMatcher When(HttpMethod method, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        RequestMatcher matcher = Any.With($"{method}", r => string.Equals(r.Method, method.Method, StringComparison.OrdinalIgnoreCase));
        return path is null ? matcher : matcher.WithPath(path);
    }

    /// <summary>GETs, of <paramref name="path"/> when given.</summary>
    public static RequestMatcher Get(string? path = null) => When(HttpMethod.Get, path);

    /// <summary>POSTs, to <paramref name="path"/> when given.</summary>
    public static RequestMatcher Post(string? path = null) => When(HttpMethod.Post, path);

    /// <summary>Requests of any method to a path matching <paramref name="path"/> (see <see cref="WithPath"/>).</summary>
    public static RequestMatcher Path(string path) => Any.WithPath(path);

    /// <summary>Also requires the path (without the query) to equal <paramref name="pattern"/>, where <c>*</c> stands for any text (as MockHttp's URLs).</summary>
    public RequestMatcher WithPath(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var regex = new Regex("^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);
        return With($"path {pattern}", r => regex.IsMatch(r.Path));
    }

    /// <summary>Also requires the path (without the query) to match this regular expression.</summary>
    public RequestMatcher WithPathRegex(string regex)
    {
        ArgumentException.ThrowIfNullOrEmpty(regex);
        var compiled = new Regex(regex, RegexOptions.CultureInvariant);
        return With($"path ~ {regex}", r => compiled.IsMatch(r.Path));
    }

    /// <summary>Also requires the query to have <paramref name="name"/> with <paramref name="value"/> (any value when null); compared unescaped.</summary>
    public RequestMatcher WithQuery(string name, string? value = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return With($"query {name}={value ?? "*"}", r => r.QueryValues(name).Any(v => value is null || v == value));
    }

    /// <summary>Also requires a header <paramref name="name"/> (case-insensitive) with <paramref name="value"/> (any value when null).</summary>
    public RequestMatcher WithHeader(string name, string? value = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return With($"header {name}: {value ?? "*"}", r => r.Headers.Any(h =>
            string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase) && (value is null || h.Value == value)));
    }

    /// <summary>Also requires the body text to contain <paramref name="text"/> (MockHttp's <c>WithPartialContent</c>).</summary>
    public RequestMatcher WithPartialContent(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return With($"body contains {text}", r => r.Body.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>Also requires <paramref name="predicate"/> (MockHttp's <c>With</c>); it runs under the fake's lock, once per request it is tried on.</summary>
    public RequestMatcher With(Func<StepRequest, bool> predicate) => With("predicate", predicate);

    /// <summary>True when <paramref name="request"/> meets every condition.</summary>
    public bool Matches(StepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _conditions.All(c => c(request));
    }

    /// <inheritdoc/>
    public override string ToString() => _description;

    private RequestMatcher With(string description, Func<StepRequest, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new(_conditions.Length == 0 ? description : $"{_description}, {description}", [.. _conditions, predicate]);
    }
}

/// <summary>
/// One step of a script: requests matching <see cref="Match"/> are answered <see cref="Reply"/>, every time or only the
/// first <see cref="Times"/> times (as <c>EmulatorScript.NextGets</c>'s count).
/// </summary>
/// <param name="Match">Which requests.</param>
/// <param name="Reply">The answer.</param>
/// <param name="Times">How many requests it answers; null for all.</param>
public sealed record HttpStep(RequestMatcher Match, Reply Reply, int? Times = null);
