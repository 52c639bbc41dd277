using MathNet.Numerics.LinearAlgebra;
using Microsoft.Extensions.AI;
using Plumbline.Core;
using Plumbline.Models.Lsa;
using Plumbline.Models.Ngram;
using Plumbline.Models.Tests.Ngram;

namespace Plumbline.Models.Tests.Lsa;

/// <summary>
/// The hand-checked example: three texts "apple banana" and one "cherry date".
/// df: apple = banana = 3, cherry = date = 1; n = 4, so idf(apple) = ln(5/4)+1, idf(cherry) = ln(5/2)+1.
/// Every row has two words of equal idf, so after L2 scaling each row is (1/√2)·(1,1,0,0) or (1/√2)·(0,0,1,1).
/// X (4×4) has rank 2: XᵀX = 3·v1·v1ᵀ + 1·v2·v2ᵀ with v1 = (1,1,0,0)/√2, v2 = (0,0,1,1)/√2,
/// so the singular values are √3 and 1 and the components are v1 and v2 (largest entry positive).
/// Projections: "apple banana" → (1, 0); "cherry date" → (0, 1); "apple" → (1/√2, 0);
/// "apple cherry" → tf-idf (ia, ic)/√(ia²+ic²) with ia = 1.2231436, ic = 1.9162907, √(ia²+ic²) = 2.2733788, i.e. (0.5380290, 0.8429263),
/// projected: (0.5380290/√2, 0.8429263/√2) = (0.3804439, 0.5960389).
/// </summary>
public class LsaModelTests
{
    private static readonly string[] Fruit = ["apple banana", "apple banana", "Apple, banana!", "cherry date"];

    [Fact]
    public void Fit_HandCheckedExample_GivesExactSingularValuesAndProjections()
    {
        var model = LsaModel.Fit(Fruit, new LsaOptions(Dimensions: 2, Normalize: false));

        Assert.Equal(["apple", "banana", "cherry", "date"], model.Terms);
        Assert.Equal(Math.Log(5.0 / 4) + 1, model.Idf[0], 12);
        Assert.Equal(Math.Log(5.0 / 2) + 1, model.Idf[3], 12);
        Assert.Equal(Math.Sqrt(3), model.SingularValues[0], 9);
        Assert.Equal(1.0, model.SingularValues[1], 9);
        AssertVector([1 / Math.Sqrt(2), 1 / Math.Sqrt(2), 0, 0], model.Component(0).ToArray());
        AssertVector([0, 0, 1 / Math.Sqrt(2), 1 / Math.Sqrt(2)], model.Component(1).ToArray());
        AssertVector([1, 0], model.Embed("apple banana"));
        AssertVector([0, 1], model.Embed("cherry date"));
        AssertVector([1 / Math.Sqrt(2), 0], model.Embed("apple"));
        AssertVector([0.3804439, 0.5960389], model.Embed("apple cherry"));
        AssertVector([0, 0], model.Embed("zebra"));
    }

    [Fact]
    public void Embed_Normalized_GivesUnitVectors()
    {
        var model = LsaModel.Fit(Fruit, new LsaOptions(Dimensions: 2));

        AssertVector([0.5380290, 0.8429263], model.Embed("apple cherry"));
        AssertVector([1, 0], model.Embed("banana banana apple apple"));
    }

    [Theory]
    [InlineData(5, 1e-2)] // scikit-learn's default number of power iterations: within 1% on a flat spectrum
    [InlineData(25, 1e-9)] // enough iterations: the exact values
    public void Fit_RealTexts_TopSingularValuesMatchADenseSvd(int powerIterations, double relativeTolerance)
    {
        var texts = EvalTexts.Load(300);
        var model = LsaModel.Fit(texts, new LsaOptions(Dimensions: 8, Seed: 3, PowerIterations: powerIterations));

        // the exact reference: MathNet's dense SVD of the same TF-IDF matrix
        var dense = Matrix<double>.Build.Dense(texts.Count, model.Terms.Count);
        var index = model.Terms.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        for (var r = 0; r < texts.Count; r++)
        {
            var counts = Plumbline.Core.Analysis.Tokenizer.Tokenize(texts[r]).GroupBy(t => t).ToDictionary(g => index[g.Key], g => g.Count());
            var norm = Math.Sqrt(counts.Sum(kv => Math.Pow(kv.Value * model.Idf[kv.Key], 2)));
            foreach (var (id, count) in counts)
            {
                dense[r, id] = count * model.Idf[id] / norm;
            }
        }

        var exact = dense.Svd(computeVectors: false).S;
        for (var k = 0; k < 8; k++)
        {
            Assert.True(Math.Abs(exact[k] - model.SingularValues[k]) <= relativeTolerance * exact[k], $"σ{k}: exact {exact[k]:R}, randomized {model.SingularValues[k]:R}");
        }
    }

    [Fact]
    public void Fit_SameSeed_BitIdentical_AndSaveLoadRoundTrips()
    {
        using var dir = new TempDirectory();
        var texts = EvalTexts.Load(200);
        var a = LsaModel.Fit(texts, new LsaOptions(Dimensions: 16, Seed: 9));
        var b = LsaModel.Fit(texts, new LsaOptions(Dimensions: 16, Seed: 9));
        a.Save(dir.File("lsa.bin"));
        var loaded = LsaModel.Load(dir.File("lsa.bin"));

        Assert.Equal(a.SingularValues, b.SingularValues);
        Assert.Equal(a.Embed(texts[5]), b.Embed(texts[5]));
        Assert.Equal(a.Embed(texts[5]), loaded.Embed(texts[5]));
        Assert.Equal(a.Terms, loaded.Terms);
        Assert.Equal(16, loaded.Dimensions);
    }

    [Fact]
    public void Fit_NoWords_IsBadInput()
    {
        var e = Assert.Throws<PlumblineException>(() => LsaModel.Fit(["!!!", ""]));
        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.Equal("LSA: the 2 texts hold no word to fit on", e.Message);
    }

    [Fact]
    public void Fit_MaxFeaturesAndMinDf_KeepTheMostFrequentTerms()
    {
        var model = LsaModel.Fit(["a a a b", "a b c", "c d"], new LsaOptions(Dimensions: 2, MinDocumentFrequency: 2, MaxFeatures: 2));

        // df: a 2, b 2, c 2, d 1 → min df keeps a b c; total counts a 4, b 2, c 2 → a and b (tie by term)
        Assert.Equal(["a", "b"], model.Terms);
    }

    [Fact]
    public async Task Generator_WithoutModel_FitsOnTheValuesOfTheCall()
    {
        using var generator = ModelCatalog.Empty.CreateEmbeddingGenerator("builtin:lsa");

        var embeddings = await generator.GenerateAsync(Fruit);

        Assert.Equal(4, embeddings.Count);
        Assert.Equal(2, embeddings[0].Vector.Length); // 100 asked, but the four rows have rank 2
        AssertVector([1, 0], embeddings[0].Vector.ToArray());
        Assert.Equal("builtin:lsa", embeddings[0].ModelId);
    }

    private static void AssertVector(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 6);
        }
    }
}
