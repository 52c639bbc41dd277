using Plumbline.Core.Privacy;
using static Plumbline.Core.Tests.Privacy.Found;

namespace Plumbline.Core.Tests.Privacy;

public class DetectorOptionsTests
{
    private const string Mixed = "ada@example.org, +44 20 7946 0958, 10.0.0.1, Falcon";

    [Fact]
    public void Placeholders_ExactlyAsInDesign()
    {
        Assert.Equal(
            ["[SECRET]", "[CARD]", "[EMAIL]", "[PHONE]", "[IP]", "[TERM]"],
            FindingKinds.BySeverity.Select(k => k.Placeholder()));
        Assert.Equal("[EMAIL]", new Finding(FindingKind.Email, 0, 1, "email").Placeholder);
    }

    [Fact]
    public void DisabledRulesAndKinds_AreNotReported()
    {
        var detector = new SecretDetector(new SecretDetectorOptions
        {
            Terms = ["falcon"],
            DisabledRules = ["email"],
            DisabledKinds = [FindingKind.Ip],
        });

        Assert.Equal(
            [(FindingKind.Phone, "+44 20 7946 0958", "phone"), (FindingKind.Term, "Falcon", "term")],
            Describe(Mixed, detector.Detect(Mixed)));
    }

    [Fact]
    public void InvalidOptions_AllProblemsInOneMessage()
    {
        var options = new SecretDetectorOptions { Terms = ["ok", " "], DisabledRules = ["emails"] };

        var error = Assert.Throws<ArgumentException>(() => new SecretDetector(options));

        Assert.StartsWith(
            "invalid secret detector options: Terms: a term must have at least one character other than white space; DisabledRules: 'emails' is not a rule (known: aws-access-key-id, ",
            error.Message,
            StringComparison.Ordinal);
        Assert.Equal(SecretDetector.Rules.Count, SecretDetector.Rules.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void Merge_OverlapsBecomeOneFindingOfTheMostSevereKindCoveringAll()
    {
        List<Finding> found =
        [
            new(FindingKind.Term, 4, 8, "term"),
            new(FindingKind.Email, 0, 12, "email"),
            new(FindingKind.Phone, 20, 30, "phone"),
            new(FindingKind.Card, 25, 40, "card"),
            new(FindingKind.Secret, 50, 60, "github-token"),
            new(FindingKind.Secret, 50, 60, "secret-assignment"),
            new(FindingKind.Ip, 60, 70, "ipv4"),
        ];

        Assert.Equal(
            [
                new Finding(FindingKind.Email, 0, 12, "email"),
                new Finding(FindingKind.Card, 20, 40, "card"),
                new Finding(FindingKind.Secret, 50, 60, "github-token"),
                new Finding(FindingKind.Ip, 60, 70, "ipv4"),
            ],
            SecretDetector.Merge(found));
    }

    [Fact]
    public void TermInsideAnEmail_IsOneEmail()
    {
        Assert.Equal([(FindingKind.Email, "bob@acme.com", "email")], In("write bob@acme.com", "acme"));
    }
}
