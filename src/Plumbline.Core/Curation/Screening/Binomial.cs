namespace Plumbline.Core.Curation.Screening;

internal static class Binomial
{
    /// <summary>P(X ≥ x) for X ~ Binomial(n, p), summed in log space.</summary>
    public static double UpperTail(int x, int n, double p)
    {
        if (x <= 0)
        {
            return 1;
        }

        if (x > n)
        {
            return 0;
        }

        if (p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return 1;
        }

        var logP = Math.Log(p);
        var logQ = double.LogP1(-p);
        var terms = new double[n - x + 1];
        for (var k = x; k <= n; k++)
        {
            terms[k - x] = LogChoose(n, k) + (k * logP) + ((n - k) * logQ);
        }

        var max = terms.Max();
        return Math.Min(1, Math.Exp(max) * terms.Sum(t => Math.Exp(t - max)));
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        var sum = 0.0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
