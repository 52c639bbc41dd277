using System.Security.Cryptography;
using System.Text;
using Plumbline.Core;

namespace Plumbline.Storage.Access;

/// <summary>A token just created: <see cref="Secret"/> is shown once and never stored (only its SHA-256 is).</summary>
public sealed record IssuedToken(ApiTokenRow Token, string? ContributorName, string Secret);

/// <summary>A token as listed (no secret, no hash).</summary>
public sealed record TokenInfo(long Id, ApiRole Role, string? Contributor, string Label, string CreatedBy, long CreatedAt, long? RevokedAt);

/// <summary>Who a verified token speaks for.</summary>
public sealed record ApiPrincipal(long TokenId, ApiRole Role, long? ContributorId, string? ContributorName);

/// <summary>
/// API tokens: <c>plb_ID_SECRET</c>, SECRET being 256 random bits in base64url. The store keeps the
/// SHA-256 of SECRET only; verification looks the row up by ID and compares hashes in constant time.
/// </summary>
public sealed class TokenService(ITraceStore store, TimeProvider time)
{
    private const string Prefix = "plb_";

    public async Task<IssuedToken> CreateAsync(ApiRole role, string? contributor, string? label, string createdBy, CancellationToken cancellationToken)
    {
        if (role == ApiRole.Contributor && contributor is null)
        {
            throw PlumblineException.BadInput("--contributor: a contributor token speaks for one contributor; name them");
        }

        if (role != ApiRole.Contributor && contributor is not null)
        {
            throw PlumblineException.BadInput($"--contributor: only contributor tokens speak for a contributor (this one is {AccessRowsName(role)})");
        }

        if (label is { Length: > 200 })
        {
            throw PlumblineException.BadInput("--label: at most 200 characters");
        }

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        Contributor? who = null;
        if (contributor is not null)
        {
            who = await session.FindContributorAsync(contributor, cancellationToken)
                ?? throw PlumblineException.NotFound($"--contributor: no contributor named '{contributor}' (add one with: plumb contributor add {contributor})");
        }

        var row = new NewApiToken(role, who?.Id, Hash(secret), label ?? "", createdBy, time.GetUtcNow().ToUnixTimeMilliseconds());
        var id = await session.AddTokenAsync(row, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new IssuedToken(
            new ApiTokenRow(id, row.Role, row.ContributorId, row.SecretSha256, row.Label, row.CreatedBy, row.CreatedAt, null),
            who?.Name,
            $"{Prefix}{id}_{secret}");
    }

    /// <summary>The principal a presented token speaks for, or null for a malformed, unknown, forged or revoked token.</summary>
    public async Task<ApiPrincipal?> VerifyAsync(string presented, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (!TryParse(presented, out var id, out var secret))
        {
            return null;
        }

        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var row = await session.GetTokenAsync(id, cancellationToken);
        var expected = row?.SecretSha256 ?? new byte[32];
        var matches = CryptographicOperations.FixedTimeEquals(Hash(secret), expected);
        if (row is null || !matches || row.RevokedAt is not null)
        {
            return null;
        }

        string? name = null;
        if (row.ContributorId is { } contributorId)
        {
            name = (await session.GetContributorAsync(contributorId, cancellationToken))?.Name;
            if (name is null)
            {
                return null;
            }
        }

        return new ApiPrincipal(row.Id, row.Role, row.ContributorId, name);
    }

    public async Task<IReadOnlyList<TokenInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var names = (await session.ListContributorsAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.Name);
        return (await session.ListTokensAsync(cancellationToken))
            .Select(t => new TokenInfo(t.Id, t.Role, t.ContributorId is { } c ? names.GetValueOrDefault(c) : null, t.Label, t.CreatedBy, t.CreatedAt, t.RevokedAt))
            .ToList();
    }

    /// <summary>Revokes a token at once: the next request that presents it is refused.</summary>
    public async Task RevokeAsync(long id, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var row = await session.GetTokenAsync(id, cancellationToken)
            ?? throw PlumblineException.NotFound($"ID: there is no token {id}");
        if (!await session.RevokeTokenAsync(id, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
        {
            throw PlumblineException.BadInput($"ID: token {row.Id} was revoked before");
        }

        await session.CommitAsync(cancellationToken);
    }

    public static string RoleName(ApiRole role) => AccessRowsName(role);

    public static bool TryParseRole(string text, out ApiRole role)
    {
        foreach (var candidate in Enum.GetValues<ApiRole>())
        {
            if (string.Equals(AccessRowsName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    private static string AccessRowsName(ApiRole role) => Sqlite.AccessRows.RoleName(role);

    private static bool TryParse(string presented, out long id, out string secret)
    {
        id = 0;
        secret = "";
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 100)
        {
            return false;
        }

        var rest = presented.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator <= 0 || !long.TryParse(rest[..separator], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id))
        {
            return false;
        }

        secret = rest[(separator + 1)..].ToString();
        return secret.Length == 43;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
