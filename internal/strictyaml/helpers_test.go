package strictyaml

import (
	"slices"

	"go.yaml.in/yaml/v3"
)

type yamlNode = yaml.Node

func sortedStrings(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
