// Rep Coach bench-clamp sensor mount (OpenSCAD, millimetres).
//
// Printable parts, chosen with `part` (or -D 'part="clamp"' on the command line):
//   "clamp"      C-clamp for the bench pad's edge (or a frame tube), with a socket for the boom
//   "head"       slides onto the boom's far end; two hinge ears hold the cradle
//   "cradle"     holds the sensor breakout, lens facing out through a window; it pivots on one
//                M4 screw between the ears, so its aim is set at assembly and locked by the screw
//   "floor_base" a low, wide foot with the same hinge ears, for the sensor looking up from the
//                floor instead (orientation "farther" in Rep Coach)
//   "all"        every part laid out for a look (not for printing)
// The boom is not printed: any straight tube or dowel of `boom_diameter` (a 20 mm aluminium
// tube or a broom handle), 50-70 cm long.
//
// Print in PETG or ASA (PLA creeps under a clamp screw), 4 walls, 40 % infill, no supports;
// each part prints as laid out, flat face down. Hardware: one M6 x 40 screw or thumbscrew and an
// M6 hex nut (clamp), one M4 x 30 screw and nut (hinge), two M4 x 12 screws and nuts (boom locks),
// two M2.5 x 8 screws if the breakout has holes (`hole_spacing`).
//
// Render one part: openscad -D 'part="clamp"' -o clamp.stl bench_clamp.scad

/* [Part] */
part = "all"; // [clamp, head, floor_base, all]

/* [Bench] */
// Thickness of what the clamp grips (bench pad board, frame tube or leg), mm
bench_thickness = 40;
// How far the jaws reach onto it, mm
jaw_depth = 35;

/* [Boom] */
// Outside diameter of the boom tube or dowel, mm
boom_diameter = 20;
// Length of the sockets that hold the boom, mm
socket_length = 40;
// Boom angle above horizontal: 45 reaches from the pad's edge up and over the lifter's hips
boom_angle = 45;

/* [Sensor] */
// Breakout board size (Pololu VL53L1X carrier: 13 x 18; GY-53L1 / Adafruit: 25 x 25 / 25 x 18)
board_width = 13;
board_length = 18;
// Distance between the breakout's two mounting holes, mm (0: board held by the lip alone)
hole_spacing = 0;
// Mounting hole diameter (M2.5: 2.7, M2: 2.2)
hole_diameter = 2.7;
// Cradle angle in the "all" preview only (the real aim is set at assembly), degrees
tilt = 0;

/* [Printing] */
wall = 5;
clearance = 0.4;
$fn = 64;

/* [Hidden] */
clamp_width = 30;
m6_clearance = 6.6;
m6_nut_flats = 10.2;
m4_clearance = 4.4;
m4_nut_flats = 7.2;

module boom_socket(length = socket_length, capped = false) {
    // A sleeve with an M4 lock screw and nut, so it grips the boom without glue. A capped sleeve
    // is closed at z = 0 (the boom stops against the cap).
    difference() {
        cylinder(d = boom_diameter + 2 * wall, h = length);
        translate([0, 0, capped ? wall : -1]) cylinder(d = boom_diameter + clearance, h = length + 2);
        translate([0, 0, length / 2 + wall / 2]) rotate([0, 90, 0]) cylinder(d = m4_clearance, h = boom_diameter);
        translate([boom_diameter / 2 + wall / 2, 0, length / 2 + wall / 2])
            rotate([0, 90, 0]) cylinder(d = m4_nut_flats / cos(30), h = wall, $fn = 6, center = true);
    }
}

module clamp() {
    gap = bench_thickness + clearance;
    height = gap + 2 * wall;
    difference() {
        union() {
            // C-shaped body: back plate and two jaws that reach onto the pad (+X).
            cube([wall, clamp_width, height]);
            cube([jaw_depth + wall, clamp_width, wall]);
            translate([0, 0, height - wall]) cube([jaw_depth + wall, clamp_width, wall]);
            // Nut boss under the lower jaw.
            translate([wall + jaw_depth / 2, clamp_width / 2, -wall])
                cylinder(d = m6_nut_flats + 2 * wall, h = wall);
        }
        // Clamp screw up through the lower jaw, its nut trapped underneath.
        translate([wall + jaw_depth / 2, clamp_width / 2, -wall - 1])
            cylinder(d = m6_clearance, h = 2 * wall + 2);
        translate([wall + jaw_depth / 2, clamp_width / 2, -wall - 1])
            cylinder(d = m6_nut_flats / cos(30), h = 5.2 + 1, $fn = 6);
    }
    // Boom socket on the back plate, rising `boom_angle` above horizontal away from the bench (-X).
    socket_r = boom_diameter / 2 + wall;
    hull() {
        translate([-0.01, 0, 0]) cube([0.01, clamp_width, height]);
        translate([-socket_r, clamp_width / 2, height / 2])
            rotate([0, -(90 - boom_angle), 0]) cylinder(r = socket_r, h = 1);
    }
    translate([-socket_r, clamp_width / 2, height / 2])
        rotate([0, -(90 - boom_angle), 0]) boom_socket();
}

cradle_width = board_width + 2 * clearance + 2 * wall;
cradle_length = board_length + 2 * clearance + 2 * wall;
hinge_height = 16;  // from the cradle's top face to the hinge axis
ear_radius = 8;

module hinge_ears() {
    // Two ears along X with a gap that takes the cradle's tab; hinge axis at z = hinge_height.
    gap = cradle_width + clearance;
    for (side = [-1, 1])
        translate([side * (gap / 2 + wall / 2), 0, 0])
            difference() {
                hull() {
                    translate([-wall / 2, -ear_radius, 0]) cube([wall, 2 * ear_radius, 1]);
                    translate([0, 0, hinge_height]) rotate([0, 90, 0]) cylinder(r = ear_radius, h = wall, center = true);
                }
                translate([0, 0, hinge_height]) rotate([0, 90, 0]) cylinder(d = m4_clearance, h = wall + 2, center = true);
            }
    // Bridge joining the ears.
    translate([-(gap / 2 + wall), -ear_radius, -wall]) cube([gap + 2 * wall, 2 * ear_radius, wall]);
}

module cradle() {
    // A tray holding the breakout with its lens facing -Z through a window; the hinge tab rises
    // from one end so the top stays open for the board and its wires.
    tray_w = board_width + 2 * clearance;
    tray_l = board_length + 2 * clearance;
    tray_h = wall + 4;
    difference() {
        union() {
            translate([-cradle_width / 2, -cradle_length / 2, 0]) cube([cradle_width, cradle_length, tray_h]);
            // Hinge tab on the +Y end, hinge axis along X, hinge_height above the tray's top.
            translate([0, cradle_length / 2 - wall / 2, 0])
                hull() {
                    translate([-cradle_width / 2, -wall / 2, 0]) cube([cradle_width, wall, 1]);
                    translate([0, 0, tray_h + hinge_height]) rotate([0, 90, 0]) cylinder(r = ear_radius, h = cradle_width, center = true);
                }
        }
        // Pocket for the board (1.6 mm PCB and its parts), open at the top.
        translate([-tray_w / 2, -tray_l / 2, 2]) cube([tray_w, tray_l, tray_h]);
        // Window for the emitter and receiver, flared so the 27-degree cone is not clipped.
        translate([0, 0, -1]) cylinder(d1 = 10, d2 = 7, h = 3.01);
        if (hole_spacing > 0)
            for (side = [-1, 1])
                translate([side * hole_spacing / 2, 0, -1]) cylinder(d = hole_diameter, h = tray_h + 2);
        translate([0, cradle_length / 2 - wall / 2, tray_h + hinge_height])
            rotate([0, 90, 0]) cylinder(d = m4_clearance, h = cradle_width + 2, center = true);
    }
}

module head() {
    // Capped socket for the boom's far end; the ears hang below the cap.
    translate([0, 0, wall]) boom_socket(capped = true);
    translate([0, 0, wall]) rotate([180, 0, 0]) hinge_ears();
}

module floor_base() {
    // A wide, low foot with a pocket for a weight (sand, steel washers) and the ears on top.
    base_d = 100;
    difference() {
        cylinder(d = base_d, h = 8);
        translate([0, 0, 3]) cylinder(d = 50, h = 6);
    }
    translate([0, 30, 8 + wall]) hinge_ears();
}

if (part == "clamp") clamp();
else if (part == "head") head();
else if (part == "cradle") cradle();
else if (part == "floor_base") floor_base();
else {
    clamp();
    translate([130, 0, 0]) head();
    translate([200, 0, 0]) rotate([tilt, 0, 0]) cradle();
    translate([300, 0, 0]) floor_base();
}
