//go:build !linux

package main

import (
	"syscall"
	"time"
)

// childAttr has nothing to add outside Linux (the tool stops the server itself).
func childAttr() *syscall.SysProcAttr { return nil }

// ownOpenFilesLimit is unknown outside Linux.
func ownOpenFilesLimit() int64 { return -1 }

// processCPU is unknown outside Linux.
func processCPU(int) time.Duration { return -1 }
