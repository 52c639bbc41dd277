using Plumbline.Core.Privacy;

namespace Plumbline.Core.Tests.Privacy;

/// <summary>The fake secrets of gitleaks and leaktk/fake-leaks (../shared/realdata/secrets, MANIFEST.md section 5).</summary>
public class RealSecretsTests(ITestOutputHelper output)
{
    /// <summary>Every secret the files hold, by MANIFEST.md and by reading them (file → the secret values in it).</summary>
    private static readonly Dictionary<string, string[]> Secrets = new()
    {
        ["fake-leaks/aws/valid/b64-encoded-k8s-secret-with-aws-creds"] = ["YXBpVmVyc2lvbjogdjEKZGF0YToKICBhd3NfYWNjZXNzX2tleV9pZDog"],
        ["fake-leaks/containers/valid/container-auth.1.json"] =
        [
            "WqQm513Gn8MFE9h8LyozXt5n2tg7_5e55oEFG3Ll6LMmZL0cH0qfOaaSgYb0ymxDMHqeoMIKfvgL7Ho5fqOzpg",
            "jj8AYnG-gSfo-v_JwtBSWCoVXi3q5-PEuuPkA2sWVeZwefdNrjBOvsdofE49hJNSDlu4sbFIUyXzKfGMTRgvxw",
            "vPrPu21bd8cKc8bEa6aNYsgEIZmueurPRCqHwRL6VrbVuCWZw_G0qX34oYbNEd2rFmkVsn98slBoQjl4WnPVmA",
            "SxeHVLwn_0k9FS2WSbKvgnODlYGygS-kOdTIqIp5-3sZLorIeloe4iKXfu0t7TdlZ_hoYNgGf0lFGnTzEMSYnw",
        ],
        ["fake-leaks/generic/valid/authorization-header"] = ["arQiwF9k82w8bHeWR-ZM60vh1m5A5FKAIHoV2KWogw6rDM530Z0ZiCOxuJcb77EOIzBDTiyHqIsdyHhXjeXd_g"],
        ["fake-leaks/github/valid/personal-access-token-env-var"] = ["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"],
        ["fake-leaks/k8s/valid/secret-stringdata-after.yml"] = ["JdxWjqhjWLTB7wn9qtNH2TXwW4p"],
        ["fake-leaks/npm/valid/registry-auth-in-npmrc/.npmrc"] = ["6bM3d5xWYGcmXM01Ht77f4ga8xESVerk13uuS"],
        ["fake-leaks/pki/valid/private.key"] = ["-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDW8OVrrcJ/rZxZ"],
        ["fake-leaks/settings/generic/config.env"] =
        [
            "XdnBsJWJ9yS6bG10hXa5+KkGCr1HKMv5g",
            "5MkjTjmfxnYgEdcLAB+dJPlqvdVEf9GCS9bseM+kegnhTjDridJU2cGQfy8jfP5nKxx2tmAGCRA+8EeGAw4QOg==",
            "5MkjTjmfxnYgEdcLAB+dJPlqvdVEf9GCS9bseM+kegnhTjDridJU2cGQfy8jfP5nKxx2tmAGCRA+8EeGAw4QOg==",
        ],
        ["gitleaks/testdata/repos/nogit/.env.prod"] = ["8ae31cacf141669ddfb5da"],
        ["gitleaks/testdata/repos/symlinks/source_file/id_ed25519"] = ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"],
        ["gitleaks/testdata/expected/git/small.txt"] = ["AKIALALEMEL33243OLIA", "AKIALALEMEL33243OLIA"],
        ["gitleaks/testdata/expected/git/small-branch-foo.txt"] = ["AKIALALEMEL33243OLIA"],
    };

    [Fact]
    public void EveryFile_ValidHaveSecretsInvalidHaveNothing_FullPrecisionAndRecall()
    {
        if (RealData.Find("secrets/gitleaks/testdata/repos/nogit/.env.prod", output.WriteLine) is not { } probe)
        {
            return;
        }

        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(probe)!, "..", "..", "..", ".."));
        var detector = new SecretDetector();
        int expected = 0, recalled = 0, secretFindings = 0, trueFindings = 0;
        var problems = new List<string>();
        foreach (var path in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(root, path).Replace('\\', '/');
            var text = File.ReadAllText(path);
            var found = detector.Detect(text);
            var secrets = found.Where(f => f.Kind == FindingKind.Secret).ToList();
            var values = Secrets.GetValueOrDefault(name, []);
            output.WriteLine($"{name}: {string.Join(", ", found.Select(f => $"{f.Kind.Name()} [{f.Start}, {f.End}) {f.Rule}"))}");

            // Recall: every known secret is covered by a Secret finding (the private key block and the double-encoded
            // blob are checked by their first characters; the whole block or blob is the finding).
            var index = 0;
            foreach (var value in values)
            {
                expected++;
                var at = text.IndexOf(value, index, StringComparison.Ordinal);
                if (secrets.Any(f => f.Start <= at && at + value.Length <= f.End))
                {
                    recalled++;
                }
                else
                {
                    problems.Add($"{name}: missed {value[..Math.Min(24, value.Length)]}…");
                }

                index = at + 1;
            }

            // Precision: every Secret finding covers a known secret; files under invalid/ have no finding at all.
            foreach (var finding in secrets)
            {
                secretFindings++;
                if (values.Any(v => text.IndexOf(v, finding.Start, StringComparison.Ordinal) is var at && at >= finding.Start && at < finding.End))
                {
                    trueFindings++;
                }
                else
                {
                    problems.Add($"{name}: false positive [{finding.Start}, {finding.End}) {finding.Rule}");
                }
            }

            if (name.Contains("/invalid/", StringComparison.Ordinal) && found.Count > 0)
            {
                problems.Add($"{name}: a placeholder file has findings");
            }

            if (name.Contains("/valid/", StringComparison.Ordinal) && secrets.Count == 0)
            {
                problems.Add($"{name}: a valid/ file has no Secret finding");
            }
        }

        output.WriteLine($"recall {recalled}/{expected}, precision {trueFindings}/{secretFindings} (Secret findings)");
        Assert.Empty(problems);
        Assert.Equal(18, expected);
        Assert.Equal(expected, recalled);
        Assert.Equal(secretFindings, trueFindings);
    }

    [Fact]
    public void SmallGitLog_AwsKeyIdTwice_ExactSpans()
    {
        if (RealData.Find("secrets/gitleaks/testdata/expected/git/small.txt", output.WriteLine) is not { } path)
        {
            return;
        }

        var found = new SecretDetector().Detect(File.ReadAllText(path));

        Assert.Equal(
            [new Finding(FindingKind.Secret, 168, 188, "aws-access-key-id"), new Finding(FindingKind.Secret, 596, 616, "aws-access-key-id")],
            found);
    }

    [Fact]
    public void PrivateKeyFiles_TheWholeBlock()
    {
        if (RealData.Find("secrets/fake-leaks/pki/valid/private.key", output.WriteLine) is not { } pem
            || RealData.Find("secrets/gitleaks/testdata/repos/symlinks/source_file/id_ed25519", output.WriteLine) is not { } openSsh)
        {
            return;
        }

        // private.key: a comment line of 25 characters, then the block, then a final newline (1,729 bytes).
        Assert.Equal([new Finding(FindingKind.Secret, 25, 1728, "private-key")], new SecretDetector().Detect(File.ReadAllText(pem)));
        Assert.Equal([new Finding(FindingKind.Secret, 0, 398, "private-key")], new SecretDetector().Detect(File.ReadAllText(openSsh)));
    }
}
