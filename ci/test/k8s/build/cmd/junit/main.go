// Command junit reads `go test -json` on stdin, echoes the plain `go test -v` text to stdout, and writes a JUnit XML
// report to the -o file. It exits 0; the caller keeps go test's own exit status.
package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type testCase struct {
	XMLName   xml.Name  `xml:"testcase"`
	Classname string    `xml:"classname,attr"`
	Name      string    `xml:"name,attr"`
	Time      string    `xml:"time,attr"`
	Failure   *failure  `xml:"failure,omitempty"`
	Skipped   *struct{} `xml:"skipped,omitempty"`
}

type failure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

type suite struct {
	XMLName  xml.Name   `xml:"testsuite"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Skipped  int        `xml:"skipped,attr"`
	Time     string     `xml:"time,attr"`
	Cases    []testCase `xml:"testcase"`
}

func main() {
	out := flag.String("o", "k8s-junit.xml", "JUnit XML file to write")
	flag.Parse()
	s := suite{Name: "k8s-cluster"}
	logs := map[string]*strings.Builder{}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			fmt.Println(sc.Text()) // not JSON (a build error): pass it through
			continue
		}
		if e.Action == "output" {
			fmt.Print(e.Output)
			if e.Test != "" {
				if logs[e.Test] == nil {
					logs[e.Test] = &strings.Builder{}
				}
				logs[e.Test].WriteString(e.Output)
			}
			continue
		}
		switch e.Action {
		case "pass", "fail", "skip":
		default:
			continue
		}
		if e.Test == "" {
			s.Time = fmt.Sprintf("%.3f", e.Elapsed)
			continue
		}
		c := testCase{Classname: e.Package, Name: e.Test, Time: fmt.Sprintf("%.3f", e.Elapsed)}
		switch e.Action {
		case "fail":
			text := ""
			if logs[e.Test] != nil {
				text = logs[e.Test].String()
			}
			c.Failure = &failure{Message: "test failed", Text: text}
			s.Failures++
		case "skip":
			c.Skipped = &struct{}{}
			s.Skipped++
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	if s.Time == "" {
		s.Time = fmt.Sprintf("%.3f", time.Duration(0).Seconds())
	}
	_ = os.MkdirAll(filepath.Dir(*out), 0o755)
	data, _ := xml.MarshalIndent(s, "", "  ")
	if err := os.WriteFile(*out, append([]byte(xml.Header), append(data, '\n')...), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "writing JUnit report:", err)
	}
}
