//go:build ignore

// Command genicons draws Plaza's app icons (a white speech bubble on green)
// into public/icons. Run: go run scripts/genicons.go
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"strconv"
)

func main() {
	for _, size := range []int{192, 512} {
		if err := write(size); err != nil {
			log.Fatal(err)
		}
	}
}

func write(size int) error {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	green := color.RGBA{0x07, 0xc1, 0x60, 0xff}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	s := float64(size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			img.Set(x, y, green)
			// bubble: an ellipse plus a small tail at the lower left
			dx, dy := (fx-s*0.5)/(s*0.30), (fy-s*0.46)/(s*0.24)
			inEllipse := dx*dx+dy*dy <= 1
			tx, ty := fx-s*0.32, fy-s*0.62
			inTail := tx >= 0 && ty >= 0 && tx+ty*1.2 <= s*0.12
			if inEllipse || inTail {
				img.Set(x, y, white)
			}
			// two eyes
			for _, ex := range []float64{0.41, 0.59} {
				if math.Hypot(fx-s*ex, fy-s*0.46) <= s*0.035 {
					img.Set(x, y, green)
				}
			}
		}
	}
	f, err := os.Create("public/icons/icon-" + strconv.Itoa(size) + ".png")
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}
