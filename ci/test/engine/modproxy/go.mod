module github.com/helloagents/helloagents/ci/test/engine/modproxy

go 1.26.0

require golang.org/x/mod v0.43.0
