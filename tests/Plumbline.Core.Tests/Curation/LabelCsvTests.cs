using Plumbline.Core.Curation;

namespace Plumbline.Core.Tests.Curation;

public class LabelCsvTests
{
    [Fact]
    public void ReadLabels_QuotedFieldsExtraColumnsAndCrlf_AreRead()
    {
        const string csv = "worker,task,label,guideline,group,comment\r\nw1,\"t,1\",\"say \"\"yes\"\"\",v1,safety,\"two\nlines\"\r\nw2,t2,no,,,\r\n";
        var rows = LabelCsv.ReadLabels(new StringReader(csv), "labels.csv");

        Assert.Equal(2, rows.Count);
        Assert.Equal(new LabelRow("t,1", "w1", "say \"yes\"", "v1", "safety", 2), rows[0]);
        Assert.Equal(new LabelRow("t2", "w2", "no", null, null, 4), rows[1]);
    }

    [Theory]
    [InlineData("task,worker\nt1,w1\n", "labels.csv:1: the header lacks column(s) 'label'; expected task,worker,label")]
    [InlineData("task,worker,label\nt1,w1,yes\nt2,,no\n", "labels.csv:3: column 'worker' is empty")]
    [InlineData("task,worker,label\nt1,w1,yes,extra\n", "labels.csv:2: expected 3 columns as in the header, found 4")]
    [InlineData("task,worker,label\nt1,w1,\"yes\n", "labels.csv:2: a quoted field is not closed before the end of the file")]
    [InlineData("task,worker,label\nt1,w\"1,yes\n", "labels.csv:2: column 2: a quote inside an unquoted field (quote the whole field and double the quote)")]
    [InlineData("", "labels.csv:1: empty file; expected a header with columns task,worker,label")]
    public void ReadLabels_BadInput_NamesFileLineAndColumn(string csv, string message)
    {
        var e = Assert.Throws<PlumblineException>(() => LabelCsv.ReadLabels(new StringReader(csv), "labels.csv"));
        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void LabelSetCreate_SameWorkerTwiceOnATask_NamesBothLines()
    {
        var rows = LabelCsv.ReadLabels(new StringReader("task,worker,label\nt1,w1,yes\nt2,w1,no\nt1,w1,no\n"), "l.csv");
        var e = Assert.Throws<PlumblineException>(() => LabelSet.Create(rows, "l.csv"));
        Assert.Equal("l.csv:4: worker 'w1' labelled task 't1' twice (first on line 2)", e.Message);
    }

    [Fact]
    public void ReadPairwise_LabelNotLeftOrRight_IsBadInput()
    {
        var e = Assert.Throws<PlumblineException>(() => LabelCsv.ReadPairwise(new StringReader("worker,task,left,right,label\nw1,t1,a,b,c\n"), "p.csv"));
        Assert.Equal("p.csv:2: column 'label': 'c' is neither the left item ('a') nor the right one ('b')", e.Message);
    }

    [Fact]
    public void ReadGold_SecondAnswerForATask_IsBadInput()
    {
        var e = Assert.Throws<PlumblineException>(() => LabelCsv.ReadGold(new StringReader("task,label\nt1,yes\nt1,no\n"), "gold.csv"));
        Assert.Equal("gold.csv:3: column 'task': task 't1' has a second answer (first on line 2)", e.Message);
    }

    [Fact]
    public void LabelSet_NumericLabels_AreOrderedByValue()
    {
        var set = LabelSet.Create([new("t", "a", "10"), new("t", "b", "9"), new("t", "c", "-1.5")]);
        Assert.Equal(["-1.5", "9", "10"], set.Classes);
        Assert.Equal([-1.5, 9, 10], set.ClassValues!);
    }
}
