using Plumbline.Core.Privacy;
using static Plumbline.Core.Tests.Privacy.Found;

namespace Plumbline.Core.Tests.Privacy;

public class PersonalDataRuleTests
{
    [Theory]
    [InlineData("Write to jane.doe+plumb@mail.example.org.", "jane.doe+plumb@mail.example.org")]
    [InlineData("\\url{mk428@cl.cam.ac.uk}", "mk428@cl.cam.ac.uk")]
    [InlineData("mailto:bob_99@uni.edu?subject=hi", "bob_99@uni.edu")]
    public void Email_Found(string text, string email)
    {
        Assert.Equal([(FindingKind.Email, email, "email")], In(text));
    }

    [Theory]
    [InlineData("git clone git@github.com:josephg/diamond-types.git")]
    [InlineData("<img src=\"logo@2x.png\">")]
    [InlineData("https://observablehq.com/@josephg/crdt-benchmarks")]
    [InlineData("mk428@cl.cam.ac.u")] // a top-level domain of one letter (still being typed)
    [InlineData("user@localhost")]
    [InlineData("@decorator and foo@ bar")]
    public void Email_Lookalikes_AreNothing(string text)
    {
        Assert.Empty(In(text));
    }

    [Theory]
    [InlineData("call +44 20 7946 0958 today", "+44 20 7946 0958")]
    [InlineData("tel: +1 (415) 555-2671.", "+1 (415) 555-2671")]
    [InlineData("+14155552671", "+14155552671")]
    [InlineData("+33 1 23 45 67 89", "+33 1 23 45 67 89")]
    [InlineData("office (415) 555-2671", "(415) 555-2671")]
    [InlineData("cell 415-555-2671, 2 times", "415-555-2671")]
    [InlineData("415.555.2671", "415.555.2671")]
    [InlineData("ring 020 7946 0958", "020 7946 0958")]
    [InlineData("Berlin 030 12345678", "030 12345678")]
    public void Phone_Found(string text, string phone)
    {
        Assert.Equal([(FindingKind.Phone, phone, "phone")], In(text));
    }

    [Theory]
    [InlineData("2024-01-15 10:30:45")]
    [InlineData("from 2021-08-30 12 05 on")]
    [InlineData("15.01.2024 10.30")]
    [InlineData("version 10.0.19041.1234")]
    [InlineData("\\draw (1.5,2) -- (4,-0.5) -- (4,6.5);")]
    [InlineData("pi = 3.14159265358979")]
    [InlineData("between 1985 2015 2020 and 2021")]
    [InlineData("https://github.com/rust-lang/rust/issues/2692512345")]
    [InlineData("?id=4155552671")]
    [InlineData("fed747255df9d457e11f36575de555b39f07e909")]
    [InlineData("12:30:45")]
    [InlineData("1,234,567,890")]
    [InlineData("ISBN 978-0-306-40615-7")]
    [InlineData("000-000-0000")]
    [InlineData("timestamp 1709287200250")]
    public void Phone_DatesVersionsCoordinatesAndIds_AreNothing(string text)
    {
        Assert.Empty(In(text));
    }

    [Theory]
    [InlineData("4111 1111 1111 1111")] // published test numbers of the card networks
    [InlineData("5500-0000-0000-0004")]
    [InlineData("378282246310005")]
    [InlineData("3782 822463 10005")]
    [InlineData("6011111111111117")]
    [InlineData("4012888888881881")]
    [InlineData("30569309025904")]
    public void Card_LuhnValid_Found(string card)
    {
        Assert.Equal([(FindingKind.Card, card, "card")], In($"card: {card}."));
    }

    [Theory]
    [InlineData("4111 1111 1111 1112")] // Luhn fails
    [InlineData("4111111111111121")] // Luhn fails
    [InlineData("1234567812345670")] // Luhn passes, no card network starts with 1
    [InlineData("4111 1111-1111 1111")] // mixed separators
    [InlineData("41111 11111 11111 1")] // not grouped like a card
    [InlineData("0000 0000 0000 0000")]
    public void Card_NotACard_IsNothing(string text)
    {
        Assert.DoesNotContain(In(text), f => f.Kind == FindingKind.Card);
    }

    [Theory]
    [InlineData("ssh 10.0.0.1 -p 22", "10.0.0.1", "ipv4")]
    [InlineData("http://192.168.1.254:8080/", "192.168.1.254", "ipv4")]
    [InlineData("dns 8.8.8.8.", "8.8.8.8", "ipv4")]
    [InlineData("2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334", "ipv6")]
    [InlineData("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:443", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "ipv6")]
    [InlineData("ping fe80::1", "fe80::1", "ipv6")]
    public void Ip_Found(string text, string ip, string rule)
    {
        Assert.Equal([(FindingKind.Ip, ip, rule)], In(text));
    }

    [Theory]
    [InlineData("v1.2.3.4")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("01.02.03.04")]
    [InlineData("1.2.3")]
    [InlineData("at 12:30:45")]
    [InlineData("std::vector<int> v; a::b; f32::EPSILON")]
    [InlineData("xs[10::100]")]
    [InlineData("00:1A:2B:3C:4D:5E")] // a MAC address
    [InlineData("::1")]
    [InlineData("addr: 127.0.0.1, bind 0.0.0.0, mask 255.255.255.255")] // loopback, any, broadcast: nobody's address
    public void Ip_Lookalikes_AreNothing(string text)
    {
        Assert.Empty(In(text));
    }

    [Fact]
    public void Terms_CaseInsensitiveWholeWords_LongestFirst()
    {
        Assert.Equal(
            [(FindingKind.Term, "project falcon", "term"), (FindingKind.Term, "FALCON", "term"), (FindingKind.Term, "Zoë", "term")],
            In("In project falcon the FALCON team (not falconry) met Zoë.", "Falcon", "Project Falcon", "zoë"));
    }

    [Fact]
    public void Positions_AreCodePoints_AfterCharactersBeyondTheBmp()
    {
        const string text = "𝔘😀 call +44 20 7946 0958 or 🎉 4111 1111 1111 1111";

        var found = new SecretDetector().Detect(text);

        Assert.Equal([new Finding(FindingKind.Phone, 8, 24, "phone"), new Finding(FindingKind.Card, 30, 49, "card")], found);
        Assert.Equal(49, Plumbline.Core.Text.CodePoints.Count(text));
    }

    [Fact]
    public void Positions_EmojiBeforeEmail()
    {
        Assert.Equal([new Finding(FindingKind.Email, 11, 31, "email")], new SecretDetector().Detect("😀 Write to jane.doe@example.org today"));
    }
}
