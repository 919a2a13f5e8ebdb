using CsCheck;

namespace DeviceCommands.TestSupport;

/// <summary>
/// Runs a property over a fixed sequence of generated cases: the same cases on every run (CsCheck's own sampling
/// draws new random cases after the first seed), so the suite cannot pass on one machine and fail on CI. A failure
/// names the case number and the seed, and the values (via the assertion's message).
/// </summary>
public static class DeterministicSample
{
    /// <summary>Asserts <paramref name="assert"/> on <paramref name="iter"/> cases drawn from <paramref name="seed"/>, one after the other.</summary>
    /// <typeparam name="T">The generated value.</typeparam>
    /// <param name="gen">The generator.</param>
    /// <param name="assert">The property, which throws when it does not hold.</param>
    /// <param name="seed">Any text: the same text gives the same cases.</param>
    /// <param name="iter">How many cases.</param>
    /// <param name="threads">Ignored (the cases run one at a time); kept for the shape of CsCheck's <c>SampleAsync</c>.</param>
    /// <returns>A task that fails with the case number and seed of the first case that does not hold.</returns>
    public static async Task SampleDeterministicAsync<T>(this Gen<T> gen, Func<T, Task> assert, string seed, long iter, int threads = 1)
    {
        _ = threads;
        var pcg = new PCG(1, Hash(seed));
        for (var i = 0; i < iter; i++)
        {
            var value = gen.Generate(pcg, null!, out _);
            try
            {
                await assert(value).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Case {i} of {iter} (seed \"{seed}\") failed: {e.Message}");
            }
        }
    }

    /// <summary>As <see cref="SampleDeterministicAsync{T}"/>, for a generated pair.</summary>
    public static Task SampleDeterministicAsync<T1, T2>(this Gen<(T1, T2)> gen, Func<T1, T2, Task> assert, string seed, long iter, int threads = 1) =>
        gen.SampleDeterministicAsync(t => assert(t.Item1, t.Item2), seed, iter, threads);

    /// <summary>As <see cref="SampleDeterministicAsync{T}"/>, for four generated values.</summary>
    public static Task SampleDeterministicAsync<T1, T2, T3, T4>(this Gen<(T1, T2, T3, T4)> gen, Func<T1, T2, T3, T4, Task> assert, string seed, long iter, int threads = 1) =>
        gen.SampleDeterministicAsync(t => assert(t.Item1, t.Item2, t.Item3, t.Item4), seed, iter, threads);

    /// <summary>FNV-1a of the seed text: stable across runs and machines.</summary>
    private static ulong Hash(string seed)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in seed)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return hash;
    }
}
