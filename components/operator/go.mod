module github.com/ambient-code/vteam/components/operator

go 1.22
