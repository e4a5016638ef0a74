namespace Studying.DeepLearning.TorchBasics;

/// <summary>The hidden layer's nonlinearity in a <see cref="TwoLayerNetwork"/>.</summary>
public enum HiddenActivation
{
    /// <summary>σ(z) = 1 / (1 + e⁻ᶻ), with σ'(z) = σ(z)(1 − σ(z)).</summary>
    Sigmoid,
    /// <summary>tanh z, with tanh'(z) = 1 − tanh² z.</summary>
    Tanh,
}

/// <summary>
/// x → Linear(d, h) → activation → Linear(h, 1): the weights of a two-layer network as plain arrays, laid out like
/// TorchSharp's <c>nn.Linear</c> (weight [out, in], bias [out]).
/// </summary>
/// <param name="W1">First-layer weights, h rows of d values.</param>
/// <param name="B1">First-layer biases, h values.</param>
/// <param name="W2">Second-layer weights, h values (the single row of a [1, h] matrix).</param>
/// <param name="B2">The output bias.</param>
/// <param name="Activation">The hidden nonlinearity.</param>
public sealed record TwoLayerNetwork(IReadOnlyList<IReadOnlyList<double>> W1, IReadOnlyList<double> B1, IReadOnlyList<double> W2, double B2, HiddenActivation Activation)
{
    /// <summary>Input features d.</summary>
    public int Inputs => W1.Count == 0 ? 0 : W1[0].Count;

    /// <summary>Hidden units h.</summary>
    public int Hidden => W1.Count;

    /// <summary>A network with weights drawn uniformly from ±1/√fan-in (as <c>nn.Linear</c> does), reproducibly.</summary>
    /// <param name="inputs">Input features d (at least 1).</param>
    /// <param name="hidden">Hidden units h (at least 1).</param>
    /// <param name="activation">The hidden nonlinearity.</param>
    /// <param name="seed">Seed of the draw.</param>
    public static TwoLayerNetwork Random(int inputs, int hidden, HiddenActivation activation, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        var random = new Random(seed);
        double Draw(int fanIn) => (2 * random.NextDouble() - 1) / Math.Sqrt(fanIn);
        var w1 = Enumerable.Range(0, hidden).Select(_ => (IReadOnlyList<double>)Enumerable.Range(0, inputs).Select(_ => Draw(inputs)).ToArray()).ToArray();
        var b1 = Enumerable.Range(0, hidden).Select(_ => Draw(inputs)).ToArray();
        var w2 = Enumerable.Range(0, hidden).Select(_ => Draw(hidden)).ToArray();
        return new TwoLayerNetwork(w1, b1, w2, Draw(hidden), activation);
    }

    /// <summary>Throws unless the arrays fit together and are finite.</summary>
    internal void Validate(string paramName)
    {
        if (W1 is null || B1 is null || W2 is null)
            throw new ArgumentException("The network's weight arrays must not be null.", paramName);
        if (Hidden == 0 || Inputs == 0)
            throw new ArgumentException("The network has no weights; W1 needs at least one row of at least one value.", paramName);
        for (var j = 0; j < Hidden; j++)
        {
            if (W1[j] is null || W1[j].Count != Inputs)
                throw new ArgumentException($"W1 row {j} has {W1[j]?.Count ?? 0} values but row 0 has {Inputs}; W1 must be rectangular [h, d].", paramName);
            if (W1[j].Any(v => !double.IsFinite(v)))
                throw new ArgumentException($"W1 row {j} holds a value that is not finite.", paramName);
        }
        if (B1.Count != Hidden)
            throw new ArgumentException($"B1 has {B1.Count} values but W1 has {Hidden} rows; there is one bias per hidden unit.", paramName);
        if (W2.Count != Hidden)
            throw new ArgumentException($"W2 has {W2.Count} values but there are {Hidden} hidden units; it needs one weight per hidden unit.", paramName);
        if (B1.Concat(W2).Append(B2).Any(v => !double.IsFinite(v)))
            throw new ArgumentException("A bias or second-layer weight is not finite.", paramName);
    }
}
