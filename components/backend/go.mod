module github.com/ambient-code/vteam/components/backend

go 1.22
