"""e-Province: the digital platform of a provincial Department in charge of information and communications."""
