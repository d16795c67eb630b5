package demo

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/color"
	"image/png"
)

// Identicon draws a 240×240 symmetric block pattern from seed, in a colour
// derived from it: a distinct avatar per member, made offline.
func Identicon(seed string) ([]byte, error) {
	sum := sha256.Sum256([]byte(seed))
	const size, cells, pad = 240, 5, 20
	block := (size - 2*pad) / cells
	fg := hsl(float64(sum[0])/255*360, 0.55, 0.50)
	bg := color.RGBA{0xf2, 0xf2, 0xf2, 0xff}

	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			img.Set(x, y, bg)
		}
	}
	for row := 0; row < cells; row++ {
		for col := 0; col < (cells+1)/2; col++ {
			if sum[1+row*3+col]%2 == 0 {
				continue
			}
			for _, c := range []int{col, cells - 1 - col} {
				x0, y0 := pad+c*block, pad+row*block
				for y := y0; y < y0+block; y++ {
					for x := x0; x < x0+block; x++ {
						img.Set(x, y, fg)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hsl converts hue (degrees), saturation and lightness (0–1) to RGB.
func hsl(h, s, l float64) color.RGBA {
	c := (1 - abs(2*l-1)) * s
	hp := h / 60
	x := c * (1 - abs(mod2(hp)-1))
	var r, g, b float64
	switch {
	case hp < 1:
		r, g = c, x
	case hp < 2:
		r, g = x, c
	case hp < 3:
		g, b = c, x
	case hp < 4:
		g, b = x, c
	case hp < 5:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := l - c/2
	return color.RGBA{uint8((r + m) * 255), uint8((g + m) * 255), uint8((b + m) * 255), 0xff}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func mod2(v float64) float64 {
	for v >= 2 {
		v -= 2
	}
	return v
}
