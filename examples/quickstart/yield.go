package main

import "runtime"

func runtimeYield() { runtime.Gosched() }
